/**
 * Full-text search: folding, tokenizing and the reference matcher.
 * @module
 */
export { foldText } from './fold';
export { MAX_TOKEN_LENGTH, tokenize } from './tokenize';
export { MIN_PHONE_QUERY, MIN_SUFFIX, phoneQueryKeys, phoneTokens, queryPhoneDigits } from './phone';
export { emailTokens } from './email';
export { RANGE_END, TAG_SEPARATOR, TOKENIZER_VERSION, buildTokens, fieldTag, splitToken } from './fields';
export type { SearchField, SearchFieldKind } from './fields';
export { matchTokens, parseSearch, termKeys } from './query';
export type { MatchResult, SearchQuery, SearchTerm } from './query';

/**
 * rapport — an embeddable CRM SDK.
 * @module
 */
export {
  CrmError,
  ValidationError,
  QueryError,
  NotFoundError,
  ConflictError,
  ConstraintError,
  TransitionError,
  PermissionError,
  StorageError,
  HttpError,
  isCrmError,
  isValidationError,
  isQueryError,
  isNotFoundError,
  isConflictError,
  isConstraintError,
  isTransitionError,
  isPermissionError,
  isStorageError,
  isHttpError,
} from './errors';
export type { ConstraintKind, CrmErrorCode, CrmErrorContext, CrmErrorName, ValidationIssue } from './errors';
export * from './query/index';
export * from './storage/index';

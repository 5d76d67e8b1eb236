/**
 * Errors as `application/problem+json` (RFC 9457): the error's own `toJSON()` fields plus
 * `type`, `title`, `status` and `detail`, so the client rebuilds the same class. Unexpected
 * errors become a bare 500: no message, no stack.
 *
 * @internal
 * @module
 */
import { CrmError, isCrmError } from '../../../src/errors';
import { PROBLEM_JSON } from '../protocol';
import type { Reply } from './request';

const STATUS: Record<string, number> = {
  ValidationError: 400,
  QueryError: 400,
  NotFoundError: 404,
  ConflictError: 409,
  ConstraintError: 409,
  TransitionError: 409,
  PermissionError: 403,
  StorageError: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The status an error maps to; `ifMatch` turns a stale-version conflict into 412. */
export function statusOf(error: CrmError, ifMatch: boolean): number {
  if (error.name === 'HttpError') return (error as CrmError & { status: number }).status;
  if (error.name === 'ConflictError' && ifMatch) return 412;
  if (error.name === 'CrmError') return error.code === 'not_found' ? 404 : 500;
  return STATUS[error.name] ?? 500;
}

/** A problem+json reply for an error. */
export function problemReply(error: unknown, options: { ifMatch?: boolean; status?: number; headers?: Record<string, string> } = {}): Reply {
  const known = isCrmError(error) && typeof (error as { toJSON?: unknown }).toJSON === 'function';
  const crmError = known ? (error as CrmError) : new CrmError('internal server error', 'internal');
  const status = options.status ?? statusOf(crmError, options.ifMatch ?? false);
  // A 500 never says more than that: its message may name internals.
  const fields = status >= 500 && crmError.name !== 'StorageError' ? { name: 'CrmError', code: 'internal', message: 'internal server error' } : crmError.toJSON();
  const body = {
    type: `urn:rapport:error:${String(fields['code'] ?? 'internal')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail: String(fields['message'] ?? ''),
    ...fields,
  };
  const headers: Record<string, string> = { 'content-type': PROBLEM_JSON, 'cache-control': 'no-store', ...options.headers };
  if (status === 413) headers['connection'] = 'close';
  return { status, headers, text: JSON.stringify(body) };
}

/** A JSON reply. */
export function jsonReply(body: unknown, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }, text: JSON.stringify(body ?? null) };
}

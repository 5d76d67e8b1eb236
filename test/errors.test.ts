import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ConstraintError,
  CrmError,
  HttpError,
  NotFoundError,
  PermissionError,
  QueryError,
  StorageError,
  TransitionError,
  ValidationError,
  isConflictError,
  isConstraintError,
  isCrmError,
  isHttpError,
  isNotFoundError,
  isPermissionError,
  isQueryError,
  isStorageError,
  isTransitionError,
  isValidationError,
} from '../src/errors';

describe('error classes', () => {
  it('CrmError carries code, context and cause', () => {
    const cause = new Error('disk');
    const e = new CrmError('something broke', 'internal', { collection: 'customers', recordId: 'c1', cause });
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ name: 'CrmError', code: 'internal', message: 'something broke', collection: 'customers', recordId: 'c1' });
    expect(e.cause).toBe(cause);
    expect(e.toJSON()).toEqual({ name: 'CrmError', code: 'internal', message: 'something broke', collection: 'customers', recordId: 'c1' });
    expect(new CrmError('x').toJSON()).toEqual({ name: 'CrmError', code: 'internal', message: 'x' });
    expect('cause' in new CrmError('x')).toBe(false);
  });

  it('ValidationError lists its issues and names the first', () => {
    const issues = [
      { path: ['emails', 0, 'address'], message: 'must be a valid email', code: 'invalid_format' },
      { path: ['name'], message: 'required string is missing', code: 'invalid_type' },
    ];
    const e = new ValidationError(issues, { collection: 'customers' });
    expect(e).toBeInstanceOf(CrmError);
    expect(e).toMatchObject({ name: 'ValidationError', code: 'validation_failed', issues, collection: 'customers' });
    expect(e.message).toBe('invalid customer record: emails.0.address: must be a valid email (and 1 more)');
    expect(e.toJSON()).toEqual({ name: 'ValidationError', code: 'validation_failed', message: e.message, collection: 'customers', issues });
    expect(new ValidationError([{ path: [], message: 'bad', code: 'x' }]).message).toBe('invalid input: (root): bad');
    expect(new ValidationError([]).message).toBe('invalid input');
  });

  it('QueryError names its path', () => {
    const e = new QueryError('unknown operator', ['where', 'and', 1, 'op']);
    expect(e).toMatchObject({ name: 'QueryError', code: 'invalid_query', path: ['where', 'and', 1, 'op'] });
    expect(e.message).toBe('invalid query at where.and.1.op: unknown operator');
    expect(e.toJSON()).toEqual({ name: 'QueryError', code: 'invalid_query', message: e.message, path: ['where', 'and', 1, 'op'] });
    expect(new QueryError('bad').message).toBe('invalid query: bad');
  });

  it('NotFoundError names the record in the singular', () => {
    const e = new NotFoundError('customers', '01J');
    expect(e).toMatchObject({ name: 'NotFoundError', code: 'not_found', collection: 'customers', recordId: '01J', message: 'customer 01J not found' });
    expect(new NotFoundError('opportunities', 'o1').message).toBe('opportunity o1 not found');
    expect(new NotFoundError('staff', 's1').message).toBe('staff s1 not found');
    expect(e.toJSON()).toEqual({ name: 'NotFoundError', code: 'not_found', message: 'customer 01J not found', collection: 'customers', recordId: '01J' });
  });

  it('ConflictError says what was expected and found', () => {
    const e = new ConflictError('deals', 'd1', 3, 4);
    expect(e).toMatchObject({ name: 'ConflictError', code: 'version_conflict', collection: 'deals', recordId: 'd1', expectedVersion: 3, actualVersion: 4 });
    expect(e.message).toBe('expected version 3 of deal d1, found 4');
    expect(new ConflictError('deals', 'd1', 0, 2).message).toBe('deal d1 already exists (version 2)');
    expect(new ConflictError('deals', 'd1', 2, 0).message).toBe('expected version 2 of deal d1, found none');
    expect(e.toJSON()).toEqual({ name: 'ConflictError', code: 'version_conflict', message: e.message, collection: 'deals', recordId: 'd1', expectedVersion: 3, actualVersion: 4 });
  });

  it('ConstraintError names the constraint, index, fields and records in the way', () => {
    const e = new ConstraintError('externalId X-1 is taken', { constraint: 'unique', index: 'externalId', fields: ['externalId'], conflictingIds: ['c1'] }, { collection: 'customers', recordId: 'c2' });
    expect(e).toMatchObject({ name: 'ConstraintError', code: 'constraint_violated', constraint: 'unique', index: 'externalId', fields: ['externalId'], conflictingIds: ['c1'], collection: 'customers', recordId: 'c2' });
    expect(e.toJSON()).toEqual({
      name: 'ConstraintError', code: 'constraint_violated', message: 'externalId X-1 is taken', collection: 'customers', recordId: 'c2',
      constraint: 'unique', index: 'externalId', fields: ['externalId'], conflictingIds: ['c1'],
    });
    const bare = new ConstraintError('in use', { constraint: 'referenced' });
    expect(bare).toMatchObject({ index: undefined, fields: [], conflictingIds: [] });
    expect(bare.toJSON()).not.toHaveProperty('index');
  });

  it('TransitionError names both states', () => {
    const e = new TransitionError('closed', 'new', { collection: 'tickets', recordId: 't1' });
    expect(e).toMatchObject({ name: 'TransitionError', code: 'invalid_transition', from: 'closed', to: 'new', message: 'ticket t1: cannot go from closed to new' });
    expect(new TransitionError('a', 'b').message).toBe('cannot go from a to b');
    expect(e.toJSON()).toMatchObject({ from: 'closed', to: 'new', collection: 'tickets', recordId: 't1' });
  });

  it('PermissionError names actor, action and reason', () => {
    const e = new PermissionError({ actorId: 'u1', action: 'update', reason: 'not the owner' }, { collection: 'deals', recordId: 'd1' });
    expect(e).toMatchObject({ name: 'PermissionError', code: 'forbidden', actorId: 'u1', action: 'update', reason: 'not the owner' });
    expect(e.message).toBe('u1 may not update deal d1: not the owner');
    expect(new PermissionError({ actorId: 'u1', action: 'export', reason: 'no grant' }, { collection: 'deals' }).message).toBe('u1 may not export deals: no grant');
    expect(new PermissionError({ actorId: 'u1', action: 'x', reason: 'y' }).message).toBe('u1 may not x: y');
    expect(e.toJSON()).toMatchObject({ actorId: 'u1', action: 'update', reason: 'not the owner' });
  });

  it('StorageError keeps the platform error as cause', () => {
    const cause = new Error('QuotaExceededError');
    const e = new StorageError('the storage is full', { cause });
    expect(e).toMatchObject({ name: 'StorageError', code: 'storage_failed', message: 'the storage is full' });
    expect(e.cause).toBe(cause);
    expect(e.toJSON()).toEqual({ name: 'StorageError', code: 'storage_failed', message: 'the storage is full' });
  });

  it('HttpError carries status and retryable', () => {
    const e = new HttpError('service unavailable', { status: 503, retryable: true });
    expect(e).toMatchObject({ name: 'HttpError', code: 'http_failed', status: 503, retryable: true });
    expect(e.toJSON()).toEqual({ name: 'HttpError', code: 'http_failed', message: 'service unavailable', status: 503, retryable: true });
  });
});

describe('type guards', () => {
  const guards = [
    ['ValidationError', isValidationError, new ValidationError([])],
    ['QueryError', isQueryError, new QueryError('x')],
    ['NotFoundError', isNotFoundError, new NotFoundError('a', 'b')],
    ['ConflictError', isConflictError, new ConflictError('a', 'b', 1, 2)],
    ['ConstraintError', isConstraintError, new ConstraintError('x', { constraint: 'unique' })],
    ['TransitionError', isTransitionError, new TransitionError('a', 'b')],
    ['PermissionError', isPermissionError, new PermissionError({ actorId: 'a', action: 'b', reason: 'c' })],
    ['StorageError', isStorageError, new StorageError('x')],
    ['HttpError', isHttpError, new HttpError('x', { status: 0, retryable: true })],
  ] as const;

  for (const [name, guard, instance] of guards) {
    it(`${guard.name} recognises a ${name}, also as a plain object from another realm`, () => {
      expect(guard(instance)).toBe(true);
      expect(isCrmError(instance)).toBe(true);
      const foreign = JSON.parse(JSON.stringify(instance.toJSON())) as unknown;
      expect(foreign).not.toBeInstanceOf(CrmError);
      expect(guard(foreign)).toBe(true);
      expect(isCrmError(foreign)).toBe(true);
    });

    it(`${guard.name} rejects other errors and non-objects`, () => {
      for (const [other, , otherInstance] of guards) if (other !== name) expect(guard(otherInstance)).toBe(false);
      expect(guard(new Error('x'))).toBe(false);
      expect(guard(null)).toBe(false);
      expect(guard(undefined)).toBe(false);
      expect(guard(name)).toBe(false);
      expect(guard({ name: name.toLowerCase() })).toBe(false);
    });
  }

  it('isCrmError needs a known name and a code', () => {
    expect(isCrmError(new CrmError('x'))).toBe(true);
    expect(isCrmError({ name: 'QueryError', code: 'invalid_query' })).toBe(true);
    expect(isCrmError({ name: 'QueryError' })).toBe(false);
    expect(isCrmError({ name: 'TypeError', code: 'x' })).toBe(false);
    expect(isCrmError(new TypeError('x'))).toBe(false);
    expect(isCrmError('CrmError')).toBe(false);
    expect(isCrmError(null)).toBe(false);
  });
});

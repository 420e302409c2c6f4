import { BadRequestException, NotFoundException } from '@nestjs/common';
import {
  ConcurrencyConflictError,
  IdempotencyKeyInFlightError,
  IdempotencyKeyReusedError,
  PreconditionFailedError,
  ProjectionBehindError,
} from '@harbour/application';
import { AuditRecordNotFoundError, InvalidAuditQueryError } from '@harbour/audit';
import {
  CaseAlreadyExistsError,
  CaseNotFoundError,
  InvalidHistoryError,
  NotPermittedError,
  RuleBrokenError,
} from '@harbour/domain';
import {
  AppendOutcomeUnknownError,
  AppendTooLargeError,
  EventStoreAccessDeniedError,
  EventStoreUnavailableError,
  StreamDeletedError,
} from '@harbour/event-store';
import { KeyDestructionIncompleteError, SubjectDataErasedError } from '@harbour/privacy';
import { InvalidCursorError, InvalidReadQueryError } from '@harbour/projections';
import { problemOf } from '@harbour/shared';
import { ForbiddenError, UnauthenticatedError } from '@harbour/security';
import { toProblem } from './problem-details.filter';
import { RequestValidationError } from './request-validation';

const TYPE = 'https://harbour.example/problems/';

describe('toProblem: each error shown as the problem it carries', () => {
  const rows: readonly (readonly [Error, number, string, object])[] = [
    [
      new RuleBrokenError('panel-quorum-5', 'four members present'),
      422,
      'rules/panel-quorum-5',
      { rule: 'panel-quorum-5' },
    ],
    [new NotPermittedError('outside-region', 'The case is in another region'), 403, 'forbidden', {}],
    [new CaseNotFoundError('c-1'), 404, 'not-found', {}],
    [new CaseAlreadyExistsError('c-1'), 409, 'case-exists', {}],
    [new ConcurrencyConflictError('case-c-1', 4n), 409, 'conflict', { currentRevision: '4' }],
    [new PreconditionFailedError('case-c-1', 2n, null), 412, 'precondition-failed', { currentRevision: null }],
    [new IdempotencyKeyReusedError(), 422, 'rules/idempotency-key-reused', { rule: 'idempotency-key-reused' }],
    [new IdempotencyKeyInFlightError(), 409, 'idempotency-key-in-flight', {}],
    [new ProjectionBehindError('case-status', 10n, 7n), 503, 'projection-behind', { reached: '7' }],
    [new AuditRecordNotFoundError('no such revision'), 404, 'not-found', {}],
    [
      new InvalidAuditQueryError('asOf', 'not a date'),
      400,
      'invalid-request',
      { errors: [{ field: 'asOf', messages: ['not a date'] }] },
    ],
    [
      new InvalidCursorError('tampered'),
      400,
      'invalid-request',
      { errors: [{ field: 'cursor', messages: ['Invalid cursor: tampered'] }] },
    ],
    [
      new InvalidReadQueryError('limit', 'too big'),
      400,
      'invalid-request',
      { errors: [{ field: 'limit', messages: ['limit: too big'] }] },
    ],
    [
      new RequestValidationError([{ field: 'outcome', messages: ['must be positive or negative'] }]),
      400,
      'invalid-request',
      { errors: [{ field: 'outcome', messages: ['must be positive or negative'] }] },
    ],
    [new SubjectDataErasedError('s-1'), 422, 'rules/subject-data-erased', { rule: 'subject-data-erased' }],
    [new KeyDestructionIncompleteError('s-1'), 503, 'key-destruction-incomplete', {}],
    [new AppendOutcomeUnknownError('case-c-1'), 503, 'event-store-unavailable', {}],
    [new EventStoreUnavailableError('append'), 503, 'event-store-unavailable', {}],
    [new EventStoreAccessDeniedError('read $all'), 503, 'event-store-unavailable', {}],
    [new AppendTooLargeError('case-c-1', 2_000_000, 1_048_576), 413, 'payload-too-large', {}],
    [new StreamDeletedError('case-c-1'), 410, 'gone', {}],
    [new UnauthenticatedError('expired'), 401, 'unauthenticated', {}],
    [new ForbiddenError(), 403, 'forbidden', {}],
  ];
  it.each(rows.map(([error, ...rest]) => [error.name, ...rest, error] as const))(
    '%s → %i %s',
    (_, status, slug, extensions, error) => {
      const sut = toProblem(error);
      expect(sut).toEqual({
        type: `${TYPE}${slug}`,
        title: expect.any(String),
        status,
        detail: expect.any(String),
        ...extensions,
      });
    },
  );

  it('names the rule and its detail for a broken rule', () => {
    expect(toProblem(new RuleBrokenError('panel-notice-7-days', 'listed 3 days ahead'))).toMatchObject({
      title: 'A rule of the workflow was broken',
      detail: 'listed 3 days ahead',
    });
  });

  it('says where a retry will do (Retry-After) and how to authenticate, and nothing on a refusal', () => {
    expect(problemOf(new ProjectionBehindError('case-status', 10n, 7n))?.headers).toEqual({ 'Retry-After': '1' });
    expect(problemOf(new EventStoreUnavailableError('append'))?.headers).toEqual({ 'Retry-After': '1' });
    // Access denied is a configuration fault: a retry cannot fix it.
    expect(problemOf(new EventStoreAccessDeniedError('read $all'))?.headers).toBeUndefined();
    expect(problemOf(new UnauthenticatedError('missing'))?.headers).toEqual({
      'WWW-Authenticate': 'Bearer realm="harbour"',
    });
    expect(problemOf(new RuleBrokenError('panel-quorum-5', 'four'))?.headers).toBeUndefined();
  });

  it("keeps Nest's and Fastify's own client errors", () => {
    expect(toProblem(new NotFoundException('Cannot GET /nope'))).toMatchObject({
      status: 404,
      type: `${TYPE}not-found`,
    });
    expect(toProblem(new BadRequestException('bad'))).toMatchObject({ status: 400, detail: 'bad' });
    expect(toProblem(Object.assign(new Error('Body is not valid JSON'), { statusCode: 400 }))).toMatchObject({
      status: 400,
      detail: 'Body is not valid JSON',
    });
  });

  it('shows an error that carries no problem (a bug, corrupt history) as a bare 500 that says nothing of it', () => {
    for (const error of [
      new InvalidHistoryError('DecisionRecorded', 'raised'),
      new Error('secret detail'),
      'thrown string',
    ]) {
      expect(toProblem(error)).toEqual({
        type: `${TYPE}internal`,
        title: 'Internal error',
        status: 500,
        detail: 'The server could not complete the request.',
      });
    }
  });

  it('ignores a look-alike that is not an Error', () => {
    const forged = { asProblem: { slug: 'fine', title: 'Fine', status: 200 } };
    expect(toProblem(forged).status).toBe(500);
  });
});

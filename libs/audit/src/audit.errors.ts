import { invalidField, type ProblemShape } from '@harbour/shared';

/** Nothing answers an audit query: no such case, revision, decision or point in time (HTTP 404). */
export class AuditRecordNotFoundError extends Error {
  readonly code = 'audit-record-not-found';
  constructor(message: string) {
    super(message);
    this.name = 'AuditRecordNotFoundError';
  }

  get asProblem(): ProblemShape {
    return { slug: 'not-found', title: 'Not found', status: 404, detail: this.message };
  }
}

/** An audit query that cannot be answered as asked (HTTP 400), naming the parameter. */
export class InvalidAuditQueryError extends Error {
  readonly code = 'invalid-audit-query';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidAuditQueryError';
  }

  get asProblem(): ProblemShape {
    return invalidField(this.field, this.message);
  }
}

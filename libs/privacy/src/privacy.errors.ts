import { RETRY_SHORTLY, type ProblemShape } from '@harbour/shared';

/**
 * Personal data was to be written for a subject whose key was destroyed: erasure is final, so
 * nothing new about them may be recorded under a new key (HTTP 422, rule `subject-data-erased`).
 */
export class SubjectDataErasedError extends Error {
  readonly code = 'subject-data-erased';
  readonly rule = 'subject-data-erased';
  constructor(readonly subjectId: string) {
    super(`The personal data of subject ${subjectId} was erased; no more can be recorded about them`);
    this.name = 'SubjectDataErasedError';
  }

  get asProblem(): ProblemShape {
    return {
      slug: `rules/${this.rule}`,
      title: 'A rule of the workflow was broken',
      status: 422,
      detail: this.message,
      extensions: { rule: this.rule },
    };
  }
}

/**
 * Personal data was to be written to a stream that names no subject (its first event carries no
 * `subject.subjectId`): a bug, never a user error, as there is no key to encrypt it under.
 */
export class NoSubjectForStreamError extends Error {
  readonly code = 'no-subject-for-stream';
  constructor(readonly stream: string) {
    super(`Stream ${stream} names no subject to encrypt its personal data for`);
    this.name = 'NoSubjectForStreamError';
  }
}

/**
 * A data key was made unreadable (no reader gets it any more) but a copy of its wrapped bytes is
 * still in a file of the key store, held there by another process reading an older snapshot. The
 * erasure is not reported done (HTTP 503, retry): the next attempt finishes wiping the bytes.
 */
export class KeyDestructionIncompleteError extends Error {
  readonly code = 'key-destruction-incomplete';
  constructor(readonly subjectId: string) {
    super(
      `The key of subject ${subjectId} is unreadable, but another process reading the key store still holds ` +
        'an old copy of its page; try the erasure again shortly',
    );
    this.name = 'KeyDestructionIncompleteError';
  }

  get asProblem(): ProblemShape {
    return {
      slug: 'key-destruction-incomplete',
      title: 'The erasure is not finished yet',
      status: 503,
      detail: this.message,
      headers: RETRY_SHORTLY,
    };
  }
}

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

/**
 * How an error is shown to an HTTP client as RFC 9457 problem details. Each error that a client
 * may cause or must be told about carries its own (`asProblem`), so the API's exception filter is
 * a lookup, not a list of every error of every lib. An error without one is a bug: a bare 500.
 *
 * Libs that import nothing (libs/domain) match this shape structurally, without importing it.
 */
export interface ProblemShape {
  /** The problem type's last part: `https://harbour.example/problems/<slug>`. */
  readonly slug: string;
  readonly title: string;
  /** The HTTP status. */
  readonly status: number;
  readonly detail?: string;
  /** More members of the problem body (`rule`, `currentRevision`, `errors`...). */
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** Response headers to set: `WWW-Authenticate` on a 401, `Retry-After` where a retry will do. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** An error that knows how it is shown. */
export interface ShownAsProblem {
  readonly asProblem: ProblemShape;
}

/** What a transient failure says: the same request (same Idempotency-Key) may be sent again shortly. */
export const RETRY_SHORTLY: Readonly<Record<string, string>> = { 'Retry-After': '1' };

/** The problem an error carries, or `undefined` for one that carries none. */
export function problemOf(error: unknown): ProblemShape | undefined {
  if (!(error instanceof Error) || !('asProblem' in error)) return undefined;
  const shape = (error as Partial<ShownAsProblem>).asProblem;
  return typeof shape?.slug === 'string' && typeof shape.status === 'number' ? shape : undefined;
}

/** The usual 400 for one bad field: `errors` lists it with its messages, as request validation does. */
export function invalidField(field: string, message: string): ProblemShape {
  return {
    slug: 'invalid-request',
    title: 'The request is not valid',
    status: 400,
    detail: message,
    extensions: { errors: [{ field, messages: [message] }] },
  };
}

import { AuthenticationUnavailableError, ForbiddenError, SecurityError, UnauthenticatedError } from './security.errors';

describe('security errors', () => {
  it.each([
    ['missing', 'Missing bearer token', 'Bearer realm="harbour"'],
    [
      'invalid',
      'Invalid bearer token',
      'Bearer realm="harbour", error="invalid_token", error_description="Invalid bearer token"',
    ],
    [
      'expired',
      'Expired bearer token',
      'Bearer realm="harbour", error="invalid_token", error_description="Expired bearer token"',
    ],
  ] as const)('a %s token is a 401 saying only that, with a WWW-Authenticate challenge', (reason, message, header) => {
    const sut = new UnauthenticatedError(reason);

    expect(sut).toBeInstanceOf(SecurityError);
    expect(sut).toMatchObject({ status: 401, title: 'Unauthenticated', message, reason });
    expect(sut.headers).toEqual({ 'WWW-Authenticate': header });
  });

  it('keeps the cause for server logs but out of anything serialised', () => {
    const sut = new UnauthenticatedError('invalid', { cause: new Error('signature verification failed') });

    expect(sut.cause).toBeInstanceOf(Error);
    const serialised = JSON.stringify(sut);
    expect(serialised).not.toMatch(/signature|stack|at /);
    expect(JSON.parse(serialised)).toEqual({
      name: 'UnauthenticatedError',
      status: 401,
      title: 'Unauthenticated',
      reason: 'invalid',
      headers: expect.any(Object),
    });
  });

  it('a forbidden actor is a 403 with no challenge', () => {
    expect(new ForbiddenError()).toMatchObject({ status: 403, title: 'Forbidden', headers: {} });
    expect(new ForbiddenError('This needs the role lead').message).toBe('This needs the role lead');
  });

  it('an unreachable key set is a 503 asking the client to retry', () => {
    expect(new AuthenticationUnavailableError()).toMatchObject({ status: 503, headers: { 'Retry-After': '5' } });
  });
});

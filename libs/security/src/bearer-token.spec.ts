import { bearerTokenFrom } from './bearer-token';
import { UnauthenticatedError } from './security.errors';

describe('bearerTokenFrom', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['BEARER  abc-_.~+/=', 'abc-_.~+/='],
  ])('reads the token of %j', (header, token) => {
    expect(bearerTokenFrom(header)).toBe(token);
  });

  it.each([
    ['no header', undefined, 'missing'],
    ['an empty header', '', 'missing'],
    ['another scheme', 'Basic dXNlcjpwYXNz', 'missing'],
    ['a bare scheme', 'Bearer', 'invalid'],
    ['a scheme with no token', 'Bearer ', 'invalid'],
    ['a token with spaces in it', 'Bearer abc def', 'invalid'],
    ['a token with a quote', 'Bearer "abc"', 'invalid'],
    ['a repeated header', ['Bearer a', 'Bearer b'], 'invalid'],
  ])('refuses %s as %s', (_case, header, reason) => {
    expect(() => bearerTokenFrom(header)).toThrow(UnauthenticatedError);
    expect(() => bearerTokenFrom(header)).toThrow(expect.objectContaining({ reason }));
  });
});

import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { Actor } from './actor.model';
import { Public, RequireRoles } from './auth.decorators';
import { AuthGuard } from './auth.guard';
import type { TokenVerifier } from './jwt-verifier';
import type { RequestWithActor } from './request-actor';
import { UnauthenticatedError } from './security.errors';

const analyst: Actor = { userId: 'a-1', role: 'analyst', agency: 'home-office', region: 'london', panels: [] };

// A verifier that knows one token, so these specs exercise the guards, not JWT handling.
const verifier: TokenVerifier = {
  verify: async (token) => {
    if (token === 'good') return analyst;
    throw new UnauthenticatedError('invalid');
  },
};

class ReportsController {
  @Public()
  health(): void {}

  @RequireRoles('lead')
  cases(): void {}

  statistics(): void {}
}

function contextFor(handler: keyof ReportsController, request: RequestWithActor, type = 'http') {
  const context = new ExecutionContextHost([request, {}], ReportsController, ReportsController.prototype[handler]);
  context.setType(type);
  return context;
}

describe('AuthGuard', () => {
  const sut = new AuthGuard(verifier);

  it('sets the verified actor on the request', async () => {
    const request: RequestWithActor = { headers: { authorization: 'Bearer good' } };

    await expect(sut.canActivate(contextFor('statistics', request))).resolves.toBe(true);
    expect(request.actor).toBe(analyst);
  });

  it('lets a public route through without looking at the token', async () => {
    const request: RequestWithActor = { headers: { authorization: 'Bearer bad' } };

    await expect(sut.canActivate(contextFor('health', request))).resolves.toBe(true);
    expect(request.actor).toBeUndefined();
  });

  it('refuses a missing or bad token', async () => {
    await expect(sut.canActivate(contextFor('statistics', { headers: {} }))).rejects.toMatchObject({
      reason: 'missing',
    });
    await expect(
      sut.canActivate(contextFor('statistics', { headers: { authorization: 'Bearer bad' } })),
    ).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('stays shut to a transport it does not know how to authenticate', async () => {
    const request: RequestWithActor = { headers: { authorization: 'Bearer good' } };

    await expect(sut.canActivate(contextFor('health', request, 'rpc'))).rejects.toThrow('cannot authenticate rpc');
  });
});

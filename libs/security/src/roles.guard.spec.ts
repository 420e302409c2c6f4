import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { Actor } from './actor.model';
import { RequireRoles } from './auth.decorators';
import type { RequestWithActor } from './request-actor';
import { RolesGuard } from './roles.guard';
import { ForbiddenError, UnauthenticatedError } from './security.errors';

const analyst: Actor = { userId: 'a-1', role: 'analyst', agency: 'home-office', region: 'london', panels: [] };

class ReportsController {
  @RequireRoles('lead')
  cases(): void {}

  statistics(): void {}
}

function contextFor(handler: keyof ReportsController, request: RequestWithActor) {
  return new ExecutionContextHost([request, {}], ReportsController, ReportsController.prototype[handler]);
}

describe('RolesGuard', () => {
  const sut = new RolesGuard();

  it('lets any actor through a route that requires no role', () => {
    expect(sut.canActivate(contextFor('statistics', { headers: {}, actor: analyst }))).toBe(true);
  });

  it('refuses another role with 403', () => {
    expect(() => sut.canActivate(contextFor('cases', { headers: {}, actor: analyst }))).toThrow(ForbiddenError);
  });

  it('lets a holder of the role through', () => {
    expect(sut.canActivate(contextFor('cases', { headers: {}, actor: { ...analyst, role: 'lead' } }))).toBe(true);
  });

  it('refuses with 401 when no actor was authenticated before it', () => {
    expect(() => sut.canActivate(contextFor('cases', { headers: {} }))).toThrow(UnauthenticatedError);
  });
});

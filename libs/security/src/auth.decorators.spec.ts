import { isPublicRoute, Public, RequireRoles, rolesFor } from './auth.decorators';
import type { Role } from './actor.model';

class OpenController {
  @Public()
  health(): void {}

  @RequireRoles('admin')
  rebuild(): void {}
}
Public()(OpenController);

@RequireRoles('lead', 'case-manager', 'lead')
class CasesController {
  list(): void {}

  @RequireRoles('auditor')
  history(): void {}

  @Public()
  docs(): void {}
}

class PlainController {
  any(): void {}
}

describe('route access metadata', () => {
  it("reads a handler's own roles before its controller's, once each", () => {
    expect(rolesFor(CasesController.prototype.list, CasesController)).toEqual(['lead', 'case-manager']);
    expect(rolesFor(CasesController.prototype.history, CasesController)).toEqual(['auditor']);
    expect(rolesFor(CasesController.prototype.list)).toBeUndefined();
    expect(rolesFor(PlainController.prototype.any, PlainController)).toBeUndefined();
  });

  it('lets a route be public only when no role is required of it', () => {
    expect(isPublicRoute(OpenController.prototype.health, OpenController)).toBe(true);
    expect(isPublicRoute(OpenController.prototype.rebuild, OpenController)).toBe(false);
    expect(isPublicRoute(CasesController.prototype.docs, CasesController)).toBe(false);
    expect(isPublicRoute(PlainController.prototype.any, PlainController)).toBe(false);
  });

  it('refuses a role list that is empty or names an unknown role, when the class is defined', () => {
    const roles = (...names: string[]) => names as unknown as [Role, ...Role[]];

    expect(() => RequireRoles(...roles())).toThrow('at least one role');
    expect(() => RequireRoles(...roles('lead', 'root'))).toThrow('unknown roles: root');
  });
});

import { createParamDecorator, SetMetadata, type CustomDecorator, type ExecutionContext } from '@nestjs/common';
import { isRole, type Actor, type Role } from './actor.model';
import { actorFromRequest } from './request-actor';

/** Metadata key set by {@link Public}. */
export const IS_PUBLIC_KEY = 'harbour:security:public';
/** Metadata key set by {@link RequireRoles}: a frozen, non-empty `readonly Role[]`. */
export const REQUIRED_ROLES_KEY = 'harbour:security:roles';

/**
 * Lets a handler or controller be called without a token. For API docs and health checks only:
 * everything else is authenticated by default. A route that also has {@link RequireRoles}, on
 * the handler or its class, is never public: the restriction wins so a stray `@Public()` on a
 * controller cannot open a role-restricted handler.
 */
export function Public(): CustomDecorator<typeof IS_PUBLIC_KEY> {
  return SetMetadata(IS_PUBLIC_KEY, true);
}

/**
 * Restricts a handler or controller to actors holding one of `roles`; others get a 403. A
 * handler's own list replaces its controller's. Without it, any authenticated actor may call.
 */
export function RequireRoles(...roles: readonly [Role, ...Role[]]): CustomDecorator<typeof REQUIRED_ROLES_KEY> {
  // Checked at class-definition time so a typo reached through a cast fails at boot, not per call.
  if (roles.length === 0) throw new TypeError('@RequireRoles() needs at least one role');
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) throw new TypeError(`@RequireRoles() got unknown roles: ${unknown.join(', ')}`);
  return SetMetadata(REQUIRED_ROLES_KEY, Object.freeze([...new Set(roles)]));
}

/**
 * Injects the verified {@link Actor} into a handler parameter. Using it on a public route is a
 * programming error and fails the request with a 500, never with an empty actor.
 */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor =>
  actorFromRequest(context.switchToHttp().getRequest<object>()),
);

/**
 * The roles a route requires: the handler's {@link RequireRoles} list, else its controller's, else
 * `undefined` (any authenticated actor). For tests and docs that walk every route.
 *
 * @param handler the controller method, e.g. `CasesController.prototype.raise`
 * @param controller the controller class, to include class-level decorators
 */
export function rolesFor(handler: object, controller?: object): readonly Role[] | undefined {
  return metadata<readonly Role[]>(REQUIRED_ROLES_KEY, handler) ?? metadataOf(REQUIRED_ROLES_KEY, controller);
}

/** True when a route may be called without a token: {@link Public} applies and no role is required. */
export function isPublicRoute(handler: object, controller?: object): boolean {
  const marked = metadata<boolean>(IS_PUBLIC_KEY, handler) ?? metadataOf<boolean>(IS_PUBLIC_KEY, controller);
  return marked === true && rolesFor(handler, controller) === undefined;
}

function metadataOf<T>(key: string, target: object | undefined): T | undefined {
  return target === undefined ? undefined : metadata<T>(key, target);
}

function metadata<T>(key: string, target: object): T | undefined {
  return Reflect.getMetadata(key, target) as T | undefined;
}

import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { rolesFor } from './auth.decorators';
import { findActor } from './request-actor';
import { ForbiddenError, UnauthenticatedError } from './security.errors';

/**
 * Global guard, registered after {@link AuthGuard}: refuses with 403 an actor whose role is not
 * in the route's {@link RequireRoles} list. Routes without the decorator pass.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const roles = rolesFor(context.getHandler(), context.getClass());
    if (roles === undefined) return true;
    const actor = findActor(context.switchToHttp().getRequest<object>());
    // Only reachable if the guards were registered in the wrong order; refuse rather than guess.
    if (!actor) throw new UnauthenticatedError('missing');
    if (!roles.includes(actor.role)) throw new ForbiddenError(`This needs the role ${roles.join(' or ')}`);
    return true;
  }
}

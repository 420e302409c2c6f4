import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { isPublicRoute } from './auth.decorators';
import { bearerTokenFrom } from './bearer-token';
import { TOKEN_VERIFIER, type TokenVerifier } from './jwt-verifier';
import type { RequestWithActor } from './request-actor';

/**
 * Global guard: every route needs a valid bearer token unless it is {@link Public} (and not
 * role-restricted). On success the verified actor is set on `request.actor`.
 *
 * @throws UnauthenticatedError 401 for a missing, invalid or expired token
 * @throws AuthenticationUnavailableError 503 when the JWKS cannot be fetched
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(@Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Fails closed: should the app ever gain a WebSocket or RPC transport, its handlers stay shut
    // until someone decides how they authenticate, rather than being let through unchecked.
    if (context.getType() !== 'http') throw new Error(`AuthGuard cannot authenticate ${context.getType()} calls`);
    if (isPublicRoute(context.getHandler(), context.getClass())) return true;
    const request = context.switchToHttp().getRequest<RequestWithActor>();
    request.actor = await this.verifier.verify(bearerTokenFrom(request.headers.authorization));
    return true;
  }
}

export { ROLES, PANEL_ROLES, isRole, isPanelRole, type Actor, type Role } from './actor.model';
export { actorFromClaims, type ActorClaimsResult } from './actor.claims';
export {
  securityConfigFrom,
  CLOCK_TOLERANCE_SECONDS,
  type SecurityConfig,
  type SecurityMode,
  type TokenKeyConfig,
} from './security.config';
export { SecurityConfigurationError } from './security-configuration.error';
export { SecretBytes } from './secret-bytes';
export { DEVELOPMENT_SECRET_FILE, MIN_SECRET_BYTES } from './development-secret.store';
export {
  SecurityError,
  UnauthenticatedError,
  ForbiddenError,
  AuthenticationUnavailableError,
  type UnauthenticatedReason,
} from './security.errors';
export { JwtVerifier, TOKEN_VERIFIER, SECRET_ALGORITHMS, JWKS_ALGORITHMS, type TokenVerifier } from './jwt-verifier';
export { bearerTokenFrom } from './bearer-token';
export {
  Public,
  RequireRoles,
  CurrentActor,
  rolesFor,
  isPublicRoute,
  IS_PUBLIC_KEY,
  REQUIRED_ROLES_KEY,
} from './auth.decorators';
export { actorFromRequest, findActor, type RequestWithActor } from './request-actor';
export { AuthGuard } from './auth.guard';
export { RolesGuard } from './roles.guard';
export { SecurityModule, SECURITY_CONFIG } from './security.module';
export {
  mintDevelopmentToken,
  DevelopmentTokenError,
  DEFAULT_AGENCY,
  type DevelopmentTokenRequest,
} from './development-token';

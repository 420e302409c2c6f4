import { ROLES, type Actor, type Role } from '@harbour/domain';

/**
 * The roles and the actor are the domain's: what a token may claim is exactly what the workflow
 * knows, from one list. An `Actor` is who is acting as the verified token says: `userId` is its
 * `sub`, `region` is compared verbatim, `panels` is empty for roles that sit on no panel.
 */
export { ROLES, type Actor, type Role };

/** The roles whose holders sit on panels, and so may carry panel ids. */
export const PANEL_ROLES: readonly Role[] = ['panel-chair', 'panel-member'];

/** True when `value` is one of {@link ROLES}. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True for roles that may carry panel ids (`panel-chair`, `panel-member`). */
export function isPanelRole(role: Role): boolean {
  return PANEL_ROLES.includes(role);
}

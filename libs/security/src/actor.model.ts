/**
 * Every role Harbour knows, in the order DESIGN.md §2 lists them. The domain lib defines the same
 * union; the two must stay structurally identical so an `Actor` passes between them unchanged.
 */
export const ROLES = [
  'lead',
  'case-manager',
  'panel-chair',
  'panel-member',
  'competent-authority',
  'auditor',
  'analyst',
  'admin',
] as const;

/** A user's role, from the token's `role` claim. */
export type Role = (typeof ROLES)[number];

/** The roles whose holders sit on panels, and so may carry panel ids. */
export const PANEL_ROLES: readonly Role[] = ['panel-chair', 'panel-member'];

/**
 * Who is acting, as the verified token says. Structurally identical to the domain's `Actor`.
 *
 * - `userId`: the token's `sub`
 * - `region`: kebab-case, e.g. `south-west`; region scoping compares it verbatim
 * - `panels`: panel ids for panel roles, empty for every other role
 */
export interface Actor {
  readonly userId: string;
  readonly role: Role;
  readonly agency: string;
  readonly region: string;
  readonly panels: readonly string[];
}

/** True when `value` is one of {@link ROLES}. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True for roles that may carry panel ids (`panel-chair`, `panel-member`). */
export function isPanelRole(role: Role): boolean {
  return PANEL_ROLES.includes(role);
}

import type { PanelDirectory } from '../panel/panel.registry';
import type { WorkflowRoutes } from '../workflow/workflow.routes';

/** Every role Harbour knows. What each may do is decided by the workflow definition, not here. */
export const ROLES = [
  'lead',
  'case-manager',
  'panel-chair',
  'panel-member',
  'competent-authority',
  'auditor',
  'analyst',
  'admin',
  'first-responder',
] as const;

/**
 * A role. `lead` is the Slavery Safeguarding Lead, `case-manager` the Case Management Unit,
 * `panel-chair` / `panel-member` sit on a regional panel; `auditor` and `analyst` only read;
 * `first-responder` submits referrals for its organisation (the token's `agency`) and follows them.
 */
export type Role = (typeof ROLES)[number];

/**
 * The longest each part of an actor may be: what the event schemas allow where an actor is
 * recorded (`leadId`, `chairId`, `viewerId`... 128; `agency` 200; `panelId` 64). A token is
 * checked against these when it is verified, so a claim that no event could hold never reaches one.
 */
export const ACTOR_LIMITS = { userId: 128, agency: 200, region: 64, panelId: 64 } as const;

/** Who issues a command, as the application layer learned it from the authenticated user. */
export interface Actor {
  readonly userId: string;
  readonly role: Role;
  /** The organisation the user works for (e.g. `avon-and-somerset-police`, `home-office`). */
  readonly agency: string;
  /**
   * Leads and case managers act only on cases of this region. It is the token's claim, not checked
   * against the known regions: a region Harbour does not know simply matches no case.
   */
  readonly region: string;
  /** The panels the user sits on; panel roles act only on cases listed to one of them. */
  readonly panels: readonly string[];
}

/** What a decider needs besides the command and the state. */
export interface DecisionContext {
  readonly actor: Actor;
  /** ISO-8601 business time of the command (its `occurredAt`): the domain never reads a clock. */
  readonly now: string;
  /**
   * Which workflow a new referral starts under, by region (configuration, passed in so the decider
   * stays pure); `DEFAULT_WORKFLOW_ROUTES` when absent. Only `RaiseReferral` reads it: an existing
   * case runs under the definition pinned in its `ReferralRaised`.
   */
  readonly workflowRoutes?: WorkflowRoutes;
  /**
   * The panels registry (folded from the `panel-<panelId>` streams, passed in so the decider stays
   * pure): a case is listed only to a registered panel of its own region. When absent, the panels
   * configuration registers by default (`defaultPanels` of the routes).
   */
  readonly panels?: PanelDirectory;
}

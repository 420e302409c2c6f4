import { isPanelRole, isRole, type Actor } from './actor.model';

/** Either the actor a token's claims describe, or the first claim that is wrong and why. */
export type ActorClaimsResult =
  | { readonly ok: true; readonly actor: Actor }
  | { readonly ok: false; readonly claim: string; readonly problem: string };

const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Control characters and surrounding blanks in an id would survive into event metadata and
// audit output, where they could forge line breaks or hide one id behind a look-alike.
const PRINTABLE_TRIMMED = /^\S(?:[^\p{Cc}]*\S)?$/u;
const NO_BLANKS = /^[^\s\p{Cc}]+$/u;
const MAX_ID_LENGTH = 256;
const MAX_PANELS = 100;

/**
 * Maps verified JWT claims to an {@link Actor}: `sub` -> `userId`, `role`, `agency`, `region`, and
 * `panels` (optional; only panel roles may list any). Pure: the caller has already checked the
 * signature, issuer, audience and lifetime.
 */
export function actorFromClaims(claims: Readonly<Record<string, unknown>>): ActorClaimsResult {
  const { sub, role, agency, region, panels } = claims;
  if (!isText(sub, PRINTABLE_TRIMMED)) return refused('sub', 'must be a non-empty string');
  if (!isRole(role)) return refused('role', 'must be one of the Harbour roles');
  if (!isText(agency, PRINTABLE_TRIMMED)) return refused('agency', 'must be a non-empty string');
  if (!isText(region, KEBAB_CASE)) return refused('region', 'must be a kebab-case region such as south-west');

  let panelIds: readonly string[] = [];
  if (panels !== undefined) {
    if (!Array.isArray(panels) || panels.length > MAX_PANELS) {
      return refused('panels', `must be an array of at most ${MAX_PANELS} panel ids`);
    }
    if (!panels.every((id) => isText(id, NO_BLANKS))) return refused('panels', 'must hold non-empty panel ids');
    // A token that puts a lead on a panel was issued wrongly; refusing it beats letting a policy
    // that checks `panels` without checking `role` grant panel business to the wrong person.
    if (panels.length > 0 && !isPanelRole(role))
      return refused('panels', 'are only allowed for panel-chair and panel-member');
    panelIds = Object.freeze([...new Set<string>(panels)]);
  }

  return {
    ok: true,
    actor: Object.freeze({ userId: sub, role, agency, region, panels: panelIds }),
  };
}

function isText(value: unknown, pattern: RegExp): value is string {
  return typeof value === 'string' && value.length <= MAX_ID_LENGTH && pattern.test(value);
}

function refused(claim: string, problem: string): ActorClaimsResult {
  return { ok: false, claim, problem };
}

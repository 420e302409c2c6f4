import { ACTOR_LIMITS, resolveOrganisationId } from '@harbour/domain';
import { isPanelRole, isRole, type Actor } from './actor.model';

/** Either the actor a token's claims describe, or the first claim that is wrong and why. */
export type ActorClaimsResult =
  | { readonly ok: true; readonly actor: Actor }
  | { readonly ok: false; readonly claim: string; readonly problem: string };

const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Control characters and surrounding blanks in an id would survive into event metadata and
// audit output, where they could forge line breaks or hide one id behind a look-alike.
const PRINTABLE_TRIMMED = /^\S(?:[^\p{Cc}]*\S)?$/u;
// Format characters (zero-width spaces and joiners, bidirectional overrides and isolates, the byte
// order mark) and line or paragraph separators are invisible: `lead-1` followed by U+200B looks
// like `lead-1` in every log and export, and a right-to-left override reverses what a reader sees.
const INVISIBLE = /[\p{Cf}\p{Zl}\p{Zp}]/u;
const MAX_PANELS = 100;
/**
 * Maps verified JWT claims to an {@link Actor}: `sub` -> `userId`, `role`, `agency` (an organisation
 * of the registry, by its id or any spelling of it the registry resolves, carried as its id), `region`,
 * and `panels` (optional; only panel roles may list any). Pure: the caller has already checked the
 * signature, issuer, audience and lifetime.
 */
export function actorFromClaims(claims: Readonly<Record<string, unknown>>): ActorClaimsResult {
  const { sub, role, agency, region, panels } = claims;
  const subProblem = textProblem(sub, PRINTABLE_TRIMMED, ACTOR_LIMITS.userId);
  if (subProblem) return refused('sub', subProblem);
  if (!isRole(role)) return refused('role', 'must be one of the Harbour roles');
  const agencyProblem = textProblem(agency, PRINTABLE_TRIMMED, ACTOR_LIMITS.agency);
  if (agencyProblem) return refused('agency', agencyProblem);
  // The rules compare organisations by registry id (a chair from the referring force is not
  // independent), so the actor carries the id whatever spelling the token used; a token naming
  // no organisation of the registry would let those rules compare nothing, and is refused.
  const organisation = resolveOrganisationId(agency as string);
  if (organisation === undefined) {
    return refused(
      'agency',
      'must be the id of an organisation of the registry (GET /organisations), e.g. dorset-police',
    );
  }
  if (textProblem(region, KEBAB_CASE, ACTOR_LIMITS.region)) {
    return refused(
      'region',
      `must be a kebab-case region such as south-west, at most ${ACTOR_LIMITS.region} characters`,
    );
  }

  let panelIds: readonly string[] = [];
  if (panels !== undefined) {
    if (!Array.isArray(panels) || panels.length > MAX_PANELS) {
      return refused('panels', `must be an array of at most ${MAX_PANELS} panel ids`);
    }
    if (!panels.every((id) => textProblem(id, KEBAB_CASE, ACTOR_LIMITS.panelId) === undefined)) {
      return refused('panels', `must hold kebab-case panel ids of at most ${ACTOR_LIMITS.panelId} characters`);
    }
    // A token that puts a lead on a panel was issued wrongly; refusing it beats letting a policy
    // that checks `panels` without checking `role` grant panel business to the wrong person.
    if (panels.length > 0 && !isPanelRole(role))
      return refused('panels', 'are only allowed for panel-chair and panel-member');
    panelIds = Object.freeze([...new Set<string>(panels)]);
  }

  return {
    ok: true,
    actor: Object.freeze({
      userId: sub as string,
      role,
      agency: organisation,
      region: region as string,
      panels: panelIds,
    }),
  };
}

/** What is wrong with a claim that should be an id or a name, or undefined when nothing is. */
function textProblem(value: unknown, pattern: RegExp, max: number): string | undefined {
  if (typeof value !== 'string' || value === '') return 'must be a non-empty string';
  // Checked before the pattern, so a long claim costs no more than its first `max` characters.
  if (value.length > max) return `must be at most ${max} characters, as the event schemas allow`;
  if (INVISIBLE.test(value)) return 'must not contain invisible format characters (zero-width or bidirectional)';
  if (!pattern.test(value)) return 'must be printable, without surrounding blanks';
  return undefined;
}

function refused(claim: string, problem: string): ActorClaimsResult {
  return { ok: false, claim, problem };
}

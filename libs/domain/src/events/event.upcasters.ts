import { resolveOrganisationId } from '../shared/organisations.data';
import { UpcasterRegistry, type StoredEventLike, type Upcaster } from './event.decoding';

/**
 * `LeadAssessmentRecorded` v2 names the standard of proof the lead applied and the guidance it
 * was made under, as the reasonable grounds and conclusive decisions already do. Every v1 event
 * was recorded under the 2015 pilot, the only workflow with a lead assessment, whose lead applied
 * the reasonable grounds standard ("suspect but cannot prove") under its guidance: both are known
 * for every stored v1 event, not guessed.
 */
const leadAssessmentRecordedV1ToV2: Upcaster = {
  type: 'LeadAssessmentRecorded',
  from: 1,
  up: (data) => ({
    ...data,
    standardOfProof: 'reasonable-grounds-to-believe',
    // A literal, not the pilot definition's: a later version of the definition must not rewrite history.
    guidanceVersion: 'nrm-competent-bodies-guidance-2015',
  }),
};

/**
 * `ReferralRaised` v2 names the referring organisation by its registry id. A v1 event holds the
 * name as the lead typed it: one the registry knows (`Dorset Police`, `dorset-police`) reads as
 * its id; any other is kept as typed and marked unverified, never guessed at. Nothing stored is
 * rewritten: this runs on every read.
 */
const referralRaisedV1ToV2: Upcaster = {
  type: 'ReferralRaised',
  from: 1,
  up: (data) => {
    const typed = String(data.referringAgency);
    const id = resolveOrganisationId(typed);
    return id === undefined
      ? { ...data, referringAgency: typed, referringAgencyUnverified: true }
      : { ...data, referringAgency: id };
  },
};

/**
 * An organisation as a v1 event recorded it (free text) read as a registry id: a name or id the
 * registry knows reads as its id; any other is kept as typed and marked `agencyUnverified`.
 */
function organisationOf<T extends { readonly agency?: unknown }>(recorded: T): T & { agency: string } {
  const typed = String(recorded.agency);
  const id = resolveOrganisationId(typed);
  return id === undefined ? { ...recorded, agency: typed, agencyUnverified: true } : { ...recorded, agency: id };
}

/**
 * `PanelConvened` v2 names the chair's and each member's organisation by registry id, so the
 * rules about who sits on a panel compare identities. A v1 event holds the names as typed then
 * (`Dorset Police`, `GLAA`, `NHS Dorset`): each reads as its id, or as typed and unverified.
 */
const panelConvenedV1ToV2: Upcaster = {
  type: 'PanelConvened',
  from: 1,
  up: (data) => ({
    ...data,
    chair: organisationOf(data.chair as { agency?: unknown }),
    members: (data.members as readonly { agency?: unknown }[]).map(organisationOf),
  }),
};

/** Every upcaster of every event type. A new stored shape adds one here and a schema file. */
export const EVENT_UPCASTERS = new UpcasterRegistry([
  leadAssessmentRecordedV1ToV2,
  referralRaisedV1ToV2,
  panelConvenedV1ToV2,
]);

/** The version the write path records an event of `type` as. */
export function schemaVersionOf(type: string): number {
  return EVENT_UPCASTERS.currentVersion(type);
}

/** A stored event as the domain reads it today (see {@link UpcasterRegistry.decode}). */
export function decodeEvent<Event extends { readonly type: string; readonly data: object }>(
  stored: StoredEventLike,
): Event {
  return EVENT_UPCASTERS.decode<Event>(stored);
}

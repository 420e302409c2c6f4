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

/** Every upcaster of every event type. A new stored shape adds one here and a schema file. */
export const EVENT_UPCASTERS = new UpcasterRegistry([leadAssessmentRecordedV1ToV2, referralRaisedV1ToV2]);

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

import type { Region } from '../shared/police-regions.model';
import type { OrganisationType } from '../shared/organisations.data';

/**
 * The Duty to Notify (Modern Slavery Act 2015, s.52) as data: who must notify, where, and from
 * when. The checks in `case.rules.ts` read this and nothing else.
 *
 * Sources: Modern Slavery Act 2015 s.52 and the Modern Slavery Act 2015 (Commencement No. 3)
 * Regulations 2015 (s.52 in force on 1 November 2015); College of Policing APP "National referral
 * mechanism" (police, local authorities, the NCA and the GLA by statute; UKVI, Border Force and
 * Immigration Enforcement by Home Office policy); domain brief §10 [A][D].
 */
export interface DutyToNotifyDefinition {
  readonly id: string;
  /** Business time from which a notification may be made (midnight, 1 November 2015, GMT = UTC). */
  readonly inForceFrom: string;
  /** The regions the duty runs in: England and Wales (Scotland and Northern Ireland have their own law). */
  readonly regions: readonly Region[];
  /** Organisation types under the statutory duty (every police force and local authority). */
  readonly statutoryTypes: readonly OrganisationType[];
  /** Named national bodies under the statutory duty. */
  readonly statutoryBodies: readonly string[];
  /** Named bodies that notify by policy rather than statute. */
  readonly byPolicy: readonly string[];
}

/** Section 52 as it came into force on 1 November 2015. */
export const DUTY_TO_NOTIFY_2015: DutyToNotifyDefinition = {
  id: 'msa-2015-s52',
  inForceFrom: '2015-11-01T00:00:00.000Z',
  regions: [
    'south-west',
    'west-yorkshire',
    'london',
    'north-west',
    'west-midlands',
    'east',
    'north-east',
    'south-east',
    'east-midlands',
    'wales',
    'yorkshire-and-the-humber',
  ],
  statutoryTypes: ['police', 'local-authority'],
  // The UKHTC was a command of the NCA in 2015.
  statutoryBodies: ['national-crime-agency', 'uk-human-trafficking-centre', 'glaa'],
  byPolicy: ['uk-visas-and-immigration', 'border-force', 'immigration-enforcement'],
};

import type { OrganisationType } from '../shared/organisations.data';

/**
 * Who may refer a person into the National Referral Mechanism as a first responder, as data. The
 * check in `case.rules.ts` (`not-a-first-responder`) reads this and nothing else.
 *
 * Sources: Home Office, "National Referral Mechanism: guidance for competent bodies" and the NRM
 * first responder guidance (2015): police forces, local authorities (children's and adult social
 * care), UK Visas and Immigration, Border Force, Immigration Enforcement, the Gangmasters Licensing
 * Authority (now the GLAA), the National Crime Agency (UKHTC), and the specified NGOs: the
 * Salvation Army, Migrant Help, Barnardo's, Kalayaan, the Medaille Trust, the Poppy Project
 * (Eaves), NSPCC (the CTAIL line), the Refugee Council, Unseen, the TARA project, BAWSO and New
 * Pathways; domain brief §2 and §10. Assumption: every police force and every local authority of
 * the registry is a first responder by type; health bodies and independent chairs are not (in
 * 2015 the NHS referred through a first responder, not as one).
 */
export interface FirstResponderOrganisations {
  readonly id: string;
  /** Organisation types all of whose members are first responders. */
  readonly byType: readonly OrganisationType[];
  /** Named national bodies and NGOs (registry ids) that are first responders. */
  readonly named: readonly string[];
}

/** The first responder organisations of 2015. */
export const FIRST_RESPONDERS_2015: FirstResponderOrganisations = {
  id: 'nrm-first-responders-2015',
  byType: ['police', 'local-authority'],
  named: [
    // Government agencies
    'uk-visas-and-immigration',
    'border-force',
    'immigration-enforcement',
    'glaa',
    'national-crime-agency',
    'uk-human-trafficking-centre',
    // Specified NGOs
    'salvation-army',
    'migrant-help',
    'barnardos',
    'kalayaan',
    'medaille-trust',
    'eaves-poppy-project',
    'nspcc',
    'refugee-council',
    'unseen-uk',
    'tara-project',
    'bawso',
    'new-pathways',
  ],
};

/** Request bodies for one synthetic referral carried through the 2015 pilot (no real person). */

export const PANEL_ID = 'south-west-panel';
export const MEETING_ID = '6f1c2d3e-4b5a-4c6d-8e7f-1a2b3c4d5e6f';

/** Business times of the walk: the recovery period (45 days) runs from the positive assessment. */
export const when = {
  raised: '2015-09-01T09:00:00.000Z',
  assessed: '2015-09-02T09:00:00.000Z',
  listed: '2015-10-01T09:00:00.000Z',
  meeting: '2015-10-20T10:00:00.000Z',
  decided: '2015-10-20T12:00:00.000Z',
  closed: '2015-10-21T09:00:00.000Z',
  now: '2015-11-01T09:00:00.000Z',
};

export function referral(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    firstResponderLocation: 'england',
    ageGroup: 'adult',
    ageGroupAtExploitation: 'adult',
    region: 'south-west',
    policeForceArea: 'dorset',
    referringAgency: 'Dorset Police',
    firstResponderType: 'police',
    exploitationTypes: ['labour'],
    exploitationLocation: 'uk',
    consent: { given: true, recordedAt: when.raised },
    subject: {
      name: 'Synthetic Person Alpha',
      aliases: [],
      dateOfBirth: '1990-01-01',
      gender: 'male',
      nationality: 'ALB',
      interpreterNeeded: true,
      language: 'sq',
      contact: { phone: '07700 900000', safeToEmail: false, safeToPost: true },
    },
    account: 'Found working at a car wash for no pay; passport held by the employer.',
    ...overrides,
  };
}

export const assessment = (outcome: 'positive' | 'negative' = 'positive') => ({
  outcome,
  rationale: 'Indicators of forced labour and document retention are present and consistent.',
});

export const listing = (overrides: Record<string, unknown> = {}) => ({
  panelId: PANEL_ID,
  meetingId: MEETING_ID,
  meetingAt: when.meeting,
  urgent: false,
  ...overrides,
});

export const MEMBERS = [
  { memberId: 'm-police', agency: 'Dorset Police', discipline: 'police', conflictDeclared: false },
  { memberId: 'm-nhs', agency: 'nhs-south-west', discipline: 'health', conflictDeclared: false },
  { memberId: 'm-la', agency: 'Dorset Council', discipline: 'local-authority', conflictDeclared: false },
  { memberId: 'm-glaa', agency: 'GLAA', discipline: 'gangmasters-licensing-authority', conflictDeclared: false },
  {
    memberId: 'm-ukvi',
    agency: 'UK Visas and Immigration',
    discipline: 'uk-visas-and-immigration',
    conflictDeclared: false,
  },
];

export const convening = (members = MEMBERS) => ({ meetingId: MEETING_ID, chairDeclaredConflict: false, members });

export const decision = (outcome: 'positive' | 'negative' = 'positive', members = MEMBERS) => ({
  outcome,
  rationale: 'On the balance of probabilities the panel finds the person was a victim of labour exploitation.',
  evidenceReliedOn: [],
  votes: members.filter((m) => !m.conflictDeclared).map((m) => ({ memberId: m.memberId, vote: outcome })),
  dissent: [],
});

/**
 * One synthetic referral (no real person) carried from raised to closed through the console's
 * forms, each step by the person whose job it is: the form answers a person would type or pick.
 */
export interface ConsoleStep {
  readonly login: string;
  readonly command: string;
  readonly occurredAt: string;
  readonly answers: Record<string, string | string[]>;
}

export const MEETING_ID = '6f1c2d3e-4b5a-4c6d-8e7f-1a2b3c4d5e6f';

const MEMBERS = [
  ['m-police', 'Dorset Police', 'police'],
  ['m-nhs', 'nhs-south-west', 'health'],
  ['m-la', 'Dorset Council', 'local-authority'],
  ['m-glaa', 'GLAA', 'gangmasters-licensing-authority'],
  ['m-ukvi', 'UK Visas and Immigration', 'uk-visas-and-immigration'],
] as const;

export const REFERRAL_ANSWERS: Record<string, string | string[]> = {
  firstResponderLocation: 'england',
  ageGroup: 'adult',
  ageGroupAtExploitation: 'adult',
  region: 'south-west',
  policeForceArea: 'dorset',
  referringAgency: 'Dorset Police',
  firstResponderType: 'police',
  exploitationTypes: ['labour'],
  exploitationLocation: 'uk',
  'consent.given': 'true',
  'consent.recordedAt': '2015-09-01T09:00:00Z',
  'subject.name': 'Synthetic Person Alpha',
  'subject.gender': 'male',
  'subject.nationality': 'ALB',
  'subject.interpreterNeeded': 'true',
  'subject.language': 'sq',
  'subject.contact.phone': '07700 900000',
  'subject.contact.safeToEmail': 'false',
  'subject.contact.safeToPost': 'true',
  account: 'Found working at a car wash for no pay; passport held by the employer.',
};

export const WALK: readonly ConsoleStep[] = [
  { login: 'lead-1', command: 'RaiseReferral', occurredAt: '2015-09-01T09:00:00Z', answers: REFERRAL_ANSWERS },
  {
    login: 'lead-1',
    command: 'ArrangeImmediateSupport',
    occurredAt: '2015-09-01T12:00:00Z',
    answers: { kinds: ['accommodation', 'medical'], provider: 'The Salvation Army' },
  },
  {
    login: 'lead-1',
    command: 'RecordLeadAssessment',
    occurredAt: '2015-09-02T09:00:00Z',
    answers: { outcome: 'positive', rationale: 'Indicators of forced labour and document retention are present.' },
  },
  {
    login: 'cm-1',
    command: 'ListCaseForPanel',
    occurredAt: '2015-10-01T09:00:00Z',
    answers: { panelId: 'south-west-panel', meetingId: MEETING_ID, meetingAt: '2015-10-20T10:00:00Z', urgent: 'false' },
  },
  {
    login: 'chair-1',
    command: 'ConvenePanel',
    occurredAt: '2015-10-20T10:00:00Z',
    answers: {
      meetingId: MEETING_ID,
      chairDeclaredConflict: 'false',
      ...Object.fromEntries(
        MEMBERS.flatMap(([memberId, agency, discipline], index) => [
          [`members.${index}.memberId`, memberId],
          [`members.${index}.agency`, agency],
          [`members.${index}.discipline`, discipline],
          [`members.${index}.conflictDeclared`, 'false'],
        ]),
      ),
    },
  },
  {
    login: 'chair-1',
    command: 'RecordDecision',
    occurredAt: '2015-10-20T12:00:00Z',
    answers: {
      outcome: 'positive',
      rationale: 'On the balance of probabilities the panel finds the person was a victim of labour exploitation.',
      ...Object.fromEntries(
        MEMBERS.flatMap(([memberId], index) => [
          [`votes.${index}.memberId`, memberId],
          [`votes.${index}.vote`, 'positive'],
        ]),
      ),
    },
  },
  {
    login: 'cm-1',
    command: 'CloseCase',
    occurredAt: '2015-10-21T09:00:00Z',
    answers: { notes: 'Move-on support arranged.' },
  },
];

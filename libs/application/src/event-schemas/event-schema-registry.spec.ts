import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AUDIT_EVENT_TYPES,
  PRIVACY_EVENT_TYPES,
  PANEL_EVENT_TYPES,
  MEETING_EVENT_TYPES,
  CORRESPONDENCE_EVENT_TYPES,
  schemaVersionOf,
  CASE_EVENT_TYPES,
  CASE_STATUSES,
  DomainExamples,
  DTN_EVENT_TYPES,
  INTAKE_EVENT_TYPES,
  type CaseEvent,
  type DtnEvent,
} from '@harbour/domain';
import { EventSchemaRegistry, EventSchemaViolationError, UnknownEventSchemaError } from './event-schema-registry';

const SCHEMA_DIR = join(__dirname, '../../../../event-schemas');
const sut = new EventSchemaRegistry();

function violationsOf(type: string, data: unknown): EventSchemaViolationError['errors'] {
  try {
    sut.validate(type, schemaVersionOf(type), data);
  } catch (error) {
    if (error instanceof EventSchemaViolationError) return error.errors;
    throw error;
  }
  throw new Error(`${type} data was accepted`);
}

const examples: (CaseEvent | DtnEvent)[] = [
  ...DomainExamples.exampleCaseStreams().flat(),
  ...CASE_STATUSES.flatMap((status) => DomainExamples.historyIn[status]()),
  ...DomainExamples.exampleDtnEvents(),
];
const example = <Type extends string>(type: Type) => {
  const found = examples.find((event) => event.type === type);
  if (!found) throw new Error(`No example ${type}`);
  return structuredClone(found.data) as Record<string, unknown>;
};

describe('EventSchemaRegistry', () => {
  it('knows every version of every case, Duty to Notify and audit event up to the one written today, and nothing else', () => {
    const all = [
      ...CASE_EVENT_TYPES,
      ...DTN_EVENT_TYPES,
      ...AUDIT_EVENT_TYPES,
      ...PRIVACY_EVENT_TYPES,
      ...PANEL_EVENT_TYPES,
      ...MEETING_EVENT_TYPES,
      ...CORRESPONDENCE_EVENT_TYPES,
      ...INTAKE_EVENT_TYPES,
    ];
    const versions = all.flatMap((type) =>
      Array.from({ length: schemaVersionOf(type) }, (_, index) => `${type}@${index + 1}`),
    );
    expect(sut.list().map((entry) => `${entry.eventType}@${entry.schemaVersion}`)).toEqual([...versions].sort());
    expect(sut.has('LeadAssessmentRecorded', 1)).toBe(true);
    expect(sut.has('LeadAssessmentRecorded', 2)).toBe(true);
    expect(sut.has('ReferralRaised', 2)).toBe(true);
    expect(sut.has('ReferralRaised', 3)).toBe(false);
    expect(sut.has('CaseReopened', 1)).toBe(false);
  });

  it('has domain examples of every case and Duty to Notify event type', () => {
    expect(new Set(examples.map((event) => event.type))).toEqual(new Set([...CASE_EVENT_TYPES, ...DTN_EVENT_TYPES]));
  });

  it('accepts a CaseRecordViewed, with a system role too, and refuses one without a viewer', () => {
    const view = {
      caseId: '5d2c1a8e-3f4b-4c6d-9e7f-0a1b2c3d4e5f',
      viewerId: 'auditor-1',
      role: 'auditor',
      agency: 'home-office-audit',
      endpoint: 'GET /cases/:caseId/history',
      viewedAt: '2015-09-01T09:00:00.000Z',
    };
    expect(() => sut.validate('CaseRecordViewed', 1, view)).not.toThrow();
    expect(() => sut.validate('CaseRecordViewed', 1, { ...view, role: 'system' })).not.toThrow();
    const { viewerId: _viewer, ...anonymous } = view;
    expect(() => sut.validate('CaseRecordViewed', 1, anonymous)).toThrow(EventSchemaViolationError);
    expect(sut.personalDataPaths('CaseRecordViewed', 1)).toEqual([]);
  });

  it.each(examples.map((event, index) => ({ index, event })))(
    'accepts example event $index ($event.type) produced by the domain',
    ({ event }) => {
      expect(() => sut.validate(event.type, schemaVersionOf(event.type), event.data)).not.toThrow();
    },
  );

  it('refuses a missing field, an unknown field and a wrong type, with JSON pointers', () => {
    const data = example('EvidenceAdded');
    delete data.description;
    data.colour = 'blue';
    data.addedAt = 42;
    expect(violationsOf('EvidenceAdded', data)).toEqual(
      expect.arrayContaining([
        { path: '', message: "must have required property 'description'" },
        { path: '', message: 'must NOT have additional properties: colour' },
        { path: '/addedAt', message: 'must be string' },
      ]),
    );
  });

  it('refuses bad formats, enums and lengths', () => {
    const referral = example('ReferralRaised');
    referral.caseId = 'case-1';
    referral.raisedAt = '2015-06-01';
    referral.region = 'atlantis';
    referral.account = 'x'.repeat(20001);
    (referral.subject as Record<string, unknown>).dateOfBirth = '1990-02-30';
    expect(violationsOf('ReferralRaised', referral).map((violation) => violation.path)).toEqual(
      expect.arrayContaining(['/caseId', '/raisedAt', '/region', '/account', '/subject/dateOfBirth']),
    );
  });

  it('holds the rules the schemas mirror: adult consent, a child contact, a positive assessment period', () => {
    const adult = example('ReferralRaised');
    adult.consent = { given: false };
    expect(violationsOf('ReferralRaised', adult).map((violation) => violation.path)).toContain('/consent/given');

    const child = examples.find((event) => event.type === 'ReferralRaised' && event.data.ageGroup === 'child');
    const withoutContact = structuredClone(child?.data) as Record<string, unknown>;
    delete withoutContact.localAuthorityContact;
    expect(violationsOf('ReferralRaised', withoutContact)).toContainEqual({
      path: '',
      message: "must have required property 'localAuthorityContact'",
    });

    const assessment = example('LeadAssessmentRecorded');
    delete assessment.recoveryPeriod;
    expect(violationsOf('LeadAssessmentRecorded', assessment)).toContainEqual({
      path: '',
      message: "must have required property 'recoveryPeriod'",
    });
  });

  it('holds the central route to its shape: a positive reasonable grounds period, no panel on a CA decision', () => {
    const grounds = example('ReasonableGroundsDecisionMade');
    expect(grounds.outcome).toBe('negative');
    grounds.recoveryPeriod = { startsAt: grounds.decidedAt, endsAt: grounds.decidedAt, days: 45 };
    expect(violationsOf('ReasonableGroundsDecisionMade', grounds)).toContainEqual({
      path: '',
      message: 'must NOT be valid',
    });

    const decisions = examples.filter((event) => event.type === 'DecisionRecorded').map((event) => event.data);
    const byAuthority = structuredClone(decisions.find((data) => data.decidedBy.kind === 'competent-authority'));
    const byPanel = structuredClone(decisions.find((data) => data.decidedBy.kind === 'panel'));
    expect(() => sut.validate('DecisionRecorded', 1, byAuthority)).not.toThrow();
    const withVotes = { ...byAuthority, votes: [{ memberId: 'member-1', vote: 'positive' }] };
    expect(violationsOf('DecisionRecorded', withVotes)).toContainEqual({
      path: '/votes',
      message: 'must NOT have more than 0 items',
    });
    expect(violationsOf('DecisionRecorded', { ...byPanel, membersPresent: [] })).toContainEqual({
      path: '/membersPresent',
      message: 'must NOT have fewer than 1 items',
    });
    const mixed = { ...byAuthority, decidedBy: { ...byAuthority?.decidedBy, panelId: 'south-west-panel' } };
    expect(() => sut.validate('DecisionRecorded', 1, mixed)).toThrow(EventSchemaViolationError);
  });

  it('refuses an urgent listing without its reason', () => {
    const listing = example('CaseListedForPanel');
    listing.urgent = true;
    delete listing.urgencyReason;
    expect(violationsOf('CaseListedForPanel', listing)).toContainEqual({
      path: '',
      message: "must have required property 'urgencyReason'",
    });
  });

  it('refuses an event type or version without a schema', () => {
    expect(() => sut.validate('CaseReopened', 1, {})).toThrow(UnknownEventSchemaError);
    expect(() => sut.validate('ReferralRaised', 3, example('ReferralRaised'))).toThrow(UnknownEventSchemaError);
    expect(() => sut.personalDataPaths('CaseReopened', 1)).toThrow(UnknownEventSchemaError);
  });

  it('finds the personal data of a referral', () => {
    expect(sut.personalDataPaths('ReferralRaised', 1)).toEqual([
      '/account',
      '/localAuthorityContact',
      '/subject/aliases',
      '/subject/contact',
      '/subject/dateOfBirth',
      '/subject/language',
      '/subject/name',
      '/subject/nationality',
      '/subject/secondNationality',
    ]);
  });

  it('finds personal data inside arrays of a decision', () => {
    expect(sut.personalDataPaths('DecisionRecorded', 1)).toEqual([
      '/dissent/*/reason',
      '/evidenceReliedOn/*/description',
      '/rationale',
    ]);
  });

  it('marks the free text of every other case event, and nothing in an anonymous Duty to Notify', () => {
    expect(
      Object.fromEntries(
        CASE_EVENT_TYPES.filter((type) => type !== 'ReferralRaised' && type !== 'DecisionRecorded').map((type) => [
          type,
          sut.personalDataPaths(type, schemaVersionOf(type)),
        ]),
      ),
    ).toEqual({
      ImmediateSupportArranged: ['/notes'],
      LeadAssessmentRecorded: ['/rationale'],
      ReasonableGroundsDecisionMade: ['/rationale'],
      CaseListedForPanel: ['/urgencyReason'],
      PanelConvened: [],
      SecondReviewCompleted: ['/rationale'],
      ReconsiderationRequested: ['/grounds'],
      InformationRequested: ['/details'],
      InformationReceived: ['/summary'],
      EvidenceAdded: ['/description'],
      CaseSuspended: ['/details'],
      CompetentAuthorityAllocated: [],
      CaseResumed: [],
      ReferralWithdrawn: ['/notes'],
      CaseClosed: ['/notes'],
      // Timers: ids and times only.
      DeadlineBreached: [],
      RecoveryPeriodEnded: [],
    });
    expect(sut.personalDataPaths('DutyToNotifyReported', 1)).toEqual([]);
  });

  it('loads from any directory given, and refuses a schema whose $id or file name is off', () => {
    expect(new EventSchemaRegistry(SCHEMA_DIR).has('CaseClosed', 1)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'event-schemas-'));
    try {
      const schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' };
      writeFileSync(join(dir, 'Thing.v1.schema.json'), JSON.stringify({ ...schema, $id: 'https://elsewhere/x' }));
      expect(() => new EventSchemaRegistry(dir)).toThrow('$id must be');
      rmSync(join(dir, 'Thing.v1.schema.json'));
      writeFileSync(join(dir, 'thing.schema.json'), JSON.stringify(schema));
      expect(() => new EventSchemaRegistry(dir)).toThrow('<EventType>.v<version>.schema.json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('event-schemas/', () => {
  const files = readdirSync(SCHEMA_DIR).filter((file) => file.endsWith('.schema.json'));

  it.each(files)('%s is a closed draft 2020-12 schema with bounded strings', (file) => {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as Record<string, unknown>;
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: `https://harbour.example/event-schemas/${file}`,
      title: expect.any(String),
      type: 'object',
      additionalProperties: false,
      required: expect.any(Array),
    });
    const problems: string[] = [];
    const visit = (node: unknown, pointer: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const schemaNode = node as Record<string, unknown>;
      if (schemaNode.type === 'string' && schemaNode.enum === undefined && schemaNode.maxLength === undefined) {
        problems.push(`${pointer}: string without maxLength`);
      }
      if (schemaNode.type === 'object' && schemaNode.additionalProperties !== false) {
        problems.push(`${pointer}: object without additionalProperties: false`);
      }
      const properties = (schemaNode.properties ?? {}) as Record<string, unknown>;
      for (const [name, child] of Object.entries(properties)) visit(child, `${pointer}/${name}`);
      visit(schemaNode.items, `${pointer}/*`);
    };
    visit(schema, '');
    expect(problems).toEqual([]);
  });
});

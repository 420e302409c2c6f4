import { DomainExamples } from '@harbour/domain';
import type { Row } from '@harbour/read-store';
import { MalformedRowError } from '../shared/read-model.errors';
import { projectionSpec, record } from '../testing/projection-spec';
import { caseStatusReadModel } from './case-status.read-model';
import { toCaseSummary } from './case-summary.dto';

const { historyIn, ids, PANEL_ID, times } = DomainExamples;

function stored(): { row: Row; position: string } {
  const events = record(historyIn.listed());
  const [row] = projectionSpec(caseStatusReadModel).given(events).rows();
  const position = events[events.length - 1].position.toString();
  return { row: { ...row, last_position: position }, position };
}

describe('toCaseSummary', () => {
  it("shows the registry's name of the referring organisation, and null for a name recorded before it that it does not know", () => {
    const { row } = stored();
    expect(toCaseSummary({ ...row, referring_agency: 'dorset-police' })).toMatchObject({
      referringAgency: 'dorset-police',
      referringAgencyName: 'Dorset Police',
    });
    expect(toCaseSummary({ ...row, referring_agency: 'Acme Recruitment Ltd' })).toMatchObject({
      referringAgency: 'Acme Recruitment Ltd',
      referringAgencyName: null,
    });
  });

  it('maps a stored row to the case list DTO, revision and position as decimal strings', () => {
    const { row, position } = stored();

    expect(toCaseSummary(row)).toEqual({
      caseId: ids.caseId,
      status: 'listed',
      statusBeforeSuspension: null,
      suspensionReason: null,
      region: 'south-west',
      policeForceArea: 'avon-and-somerset',
      ageGroup: 'adult',
      ageGroupAtExploitation: 'adult',
      exploitationTypes: ['labour'],
      exploitationLocation: 'both',
      referringAgency: 'bristol-city-council',
      referringAgencyName: 'Bristol City Council',
      firstResponderType: 'local-authority',
      leadId: 'lead-1',
      workflow: { id: 'nrm-pilot-2015', version: 1 },
      raisedAt: times.raisedAt,
      assessedAt: times.assessedAt,
      assessmentOutcome: 'positive',
      recoveryStartedAt: times.assessedAt,
      recoveryEndsAt: times.recoveryEndsAt,
      listedAt: times.listedAt,
      panelId: PANEL_ID,
      meetingId: ids.meetingId,
      meetingAt: times.meetingAt,
      decisionId: null,
      decidedAt: null,
      decisionOutcome: null,
      reviewedAt: null,
      reviewOutcome: null,
      reconsiderationRequestedAt: null,
      suspendedAt: null,
      resumedAt: null,
      closedAt: null,
      closureOutcome: null,
      competentAuthority: null,
      withdrawnAt: null,
      withdrawalBasis: null,
      nextDeadline: times.recoveryEndsAt,
      nextDeadlineKind: 'recovery-period',
      overdue: false,
      deadlines: [
        {
          deadlineId: `lead-assessment:${ids.caseId}`,
          kind: 'lead-assessment',
          startedAt: times.raisedAt,
          dueAt: '2015-06-08T09:00:00.000Z',
          dueAtEstimated: false,
          state: 'met',
          settledAt: times.assessedAt,
        },
        {
          deadlineId: `recovery-period:${ids.assessmentId}`,
          kind: 'recovery-period',
          startedAt: times.assessedAt,
          dueAt: times.recoveryEndsAt,
          dueAtEstimated: false,
          state: 'running',
          settledAt: null,
        },
      ],
      revision: String(row.revision),
      position,
      updatedAt: row.updated_at,
    });
  });

  it('reads values as SQLite and PostgreSQL may return them: 0/1 booleans, 64-bit integers as strings', () => {
    const { row } = stored();

    expect(
      toCaseSummary({ ...row, overdue: 1, revision: '4', workflow_version: '1', last_position: 42 }),
    ).toMatchObject({ overdue: true, revision: '4', workflow: { version: 1 }, position: '42' });
    expect(toCaseSummary({ ...row, last_position: '9007199254740993' }).position).toBe('9007199254740993');
  });

  it.each([
    ['a missing column', { region: undefined }],
    ['a status the domain does not know', { status: 'lost' }],
    ['a text column holding a number', { lead_id: 7 }],
    ['a json column holding text', { exploitation_types: 'labour' }],
    ['a boolean column holding text', { overdue: 'no' }],
    ['no last_position', { last_position: null }],
    ['a negative last_position', { last_position: -1 }],
    ['a last_position a number cannot hold exactly', { last_position: 2 ** 53 + 2 }],
  ])('refuses a malformed row: %s', (_, change) => {
    const { row } = stored();

    expect(() => toCaseSummary({ ...row, ...(change as Row) })).toThrow(MalformedRowError);
  });

  it('names the type it found, never the value (a value may be personal data)', () => {
    const { row } = stored();

    expect(() => toCaseSummary({ ...row, lead_id: { name: 'Ana Example' } })).toThrow(
      /case_status\.lead_id: expected a string, got object$/,
    );
  });
});

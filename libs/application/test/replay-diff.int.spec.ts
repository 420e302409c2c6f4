import { NRM_PILOT_2015, type WorkflowDefinition } from '@harbour/domain';
import { SqliteEventStore, type RecordedEvent } from '@harbour/event-store';
import { ephemeralPrivacyConfig, type PersonalDataProtector } from '@harbour/privacy';
import { SqliteReadStore } from '@harbour/read-store';
import { SYNTHETIC_REFERRALS_CONFIG, seedSyntheticReferrals } from '@harbour/synthetic';
import { EventSchemaRegistry, createPersonalDataProtector, renderReplayDiffHtml, replayDiff } from '../src';

/** The pilot as a version 2 whose panel needs six members present instead of five. */
const QUORUM_6: WorkflowDefinition = {
  ...NRM_PILOT_2015,
  version: 2,
  rules: { ...NRM_PILOT_2015.rules, panelQuorum: 6 },
};

describe('replay-diff over seeded cases', () => {
  let store: SqliteEventStore;
  let readStore: SqliteReadStore;
  let personalData: PersonalDataProtector;
  let events: RecordedEvent[];

  beforeAll(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    readStore = new SqliteReadStore({ filename: ':memory:' });
    const schemas = new EventSchemaRegistry();
    personalData = await createPersonalDataProtector(ephemeralPrivacyConfig(), store, schemas);
    const seeded = await seedSyntheticReferrals(
      { store, readStore, schemas, personalData },
      {
        cases: 300,
        seed: 'replay-diff',
        from: '2025-07-01T00:00:00Z',
        to: '2026-09-30T23:59:59Z',
        // Meetings seat 6 to 8 members; a conflict at a six-member sitting leaves five present.
        config: { ...SYNTHETIC_REFERRALS_CONFIG, panelConflict: 0.5 },
      },
    );
    expect(seeded.refused).toEqual({});
    events = [];
    for await (const event of store.readAll()) events.push(event);
  }, 120_000);
  afterAll(async () => {
    await personalData.keys.close();
    await readStore.close();
    await store.close();
  });

  /** Cases of the pilot whose panel decided with exactly `count` members present (once or more). */
  function decidedWith(count: number): string[] {
    const caseIds = events
      .filter((event) => event.type === 'DecisionRecorded')
      .filter((event) => (event.data as { decidedBy: { kind: string } }).decidedBy.kind === 'panel')
      .filter((event) => (event.data.membersPresent as unknown[]).length === count)
      .map((event) => String(event.data.caseId));
    return [...new Set(caseIds)].sort();
  }

  it('with a quorum of 6, lists exactly the cases decided with five members present, at their convening', async () => {
    const sut = await replayDiff({ store, personalData }, QUORUM_6);

    const five = decidedWith(5);
    expect(five.length).toBeGreaterThan(0);
    // The seeded panels also decide with more than five, and those must not be listed.
    expect(decidedWith(6).length + decidedWith(7).length).toBeGreaterThan(0);
    expect(sut.differences.map((difference) => difference.caseId)).toEqual(five);
    for (const difference of sut.differences) {
      expect(difference).toMatchObject({
        command: 'ConvenePanel',
        kind: 'refused',
        rule: 'panel-quorum-5',
        facts: 'A panel needs 6 members present besides the chair and without a conflict; 5 are',
      });
    }
    expect(sut.summary).toEqual([
      { rule: 'panel-quorum-5', command: 'ConvenePanel', kind: 'refused', cases: five.length },
    ]);
    expect(sut.definition).toEqual({ id: 'nrm-pilot-2015', version: 2 });
  }, 60_000);

  it('under the definition the cases ran under, re-decides every command to the events it recorded', async () => {
    const sut = await replayDiff({ store, personalData }, NRM_PILOT_2015);

    expect(sut.differences).toEqual([]);
    expect(sut.casesReplayed).toBeGreaterThan(0);
    const pilotCases = events.filter(
      (event) => event.type === 'ReferralRaised' && (event.data.workflow as { id: string }).id === 'nrm-pilot-2015',
    );
    expect(sut.casesReplayed).toBe(pilotCases.length);
    expect(sut.commandsReplayed).toBeGreaterThan(sut.casesReplayed);
    expect(sut.notReconstructed.referral).toBe(sut.casesReplayed);
  }, 60_000);

  it('replays only the cases asked for', async () => {
    const [first, second] = decidedWith(5);
    const sut = await replayDiff({ store, personalData }, QUORUM_6, { caseIds: [second, first] });
    expect(sut.casesReplayed).toBe(2);
    expect(sut.differences.map((difference) => difference.caseId)).toEqual([first, second].sort());
  }, 60_000);

  it('renders the summary and each difference as HTML, escaped', async () => {
    const report = await replayDiff({ store, personalData }, QUORUM_6);
    const html = renderReplayDiffHtml(report);
    expect(html).toContain('<h1>Replay-diff under nrm-pilot-2015@2</h1>');
    expect(html).toContain(
      `<td>panel-quorum-5</td><td>ConvenePanel</td><td>refused</td><td>${report.differences.length}</td>`,
    );
    for (const { caseId } of report.differences) expect(html).toContain(`<code>${caseId}</code>`);
  }, 60_000);
});

import { ephemeralPrivacyConfig } from '@harbour/privacy';
import { SqliteEventStore, type RecordedEvent } from '@harbour/event-store';
import { SqliteReadStore } from '@harbour/read-store';
import { EventSchemaRegistry, createPersonalDataProtector } from '@harbour/application';
import { seedSyntheticReferrals, syntheticCaseId } from '../src';

const schemas = new EventSchemaRegistry();

async function seeded(cases: number, seed: string) {
  const store = new SqliteEventStore({ filename: ':memory:' });
  const readStore = new SqliteReadStore({ filename: ':memory:' });
  const personalData = await createPersonalDataProtector(ephemeralPrivacyConfig(), store, schemas);
  const report = await seedSyntheticReferrals(
    { store, readStore, schemas, personalData },
    { cases, seed, from: '2025-07-01T00:00:00Z', to: '2026-09-30T23:59:59Z' },
  );
  // As a reader allowed to see them: personal fields are stored encrypted, with random IVs.
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(await personalData.open(event));
  await personalData.keys.close();
  await readStore.close();
  await store.close();
  return { report, events };
}

describe('seedSyntheticReferrals', () => {
  it('drives every planned command through the write path without a refusal, and the scheduler records deadlines', async () => {
    const { report, events } = await seeded(300, 'spec');
    expect(report.refused).toEqual({});
    expect(report.commandsApplied).toBe(report.commandsPlanned);
    expect(report.deadlineRecords).toBeGreaterThan(0);
    const types = new Set(events.map((event) => event.type));
    for (const type of [
      'ReferralRaised',
      'LeadAssessmentRecorded',
      'ReasonableGroundsDecisionMade',
      'CaseListedForPanel',
      'PanelConvened',
      'DecisionRecorded',
      'SecondReviewCompleted',
      'ReconsiderationRequested',
      'ReferralWithdrawn',
      'CaseSuspended',
      'CaseClosed',
      'DeadlineBreached',
      'RecoveryPeriodEnded',
    ]) {
      expect([type, types.has(type)]).toEqual([type, true]);
    }
    // Business times stay within the period; names are obviously synthetic.
    for (const event of events) {
      const occurredAt = String(event.metadata.occurredAt);
      expect(occurredAt >= '2025-07-01' && occurredAt <= '2026-09-30T23:59:59.999Z').toBe(true);
    }
    const names = events
      .filter((event) => event.type === 'ReferralRaised')
      .map((event) => (event.data.subject as { name: string }).name);
    expect(names.every((name) => /^Synthetic Person \d{5}$/.test(name))).toBe(true);
  });

  it('is deterministic: the same seed gives the same events, another seed other ones', async () => {
    // Ciphertexts differ run to run (a fresh key, random IVs): the decrypted events must not.
    const digest = (events: RecordedEvent[]) =>
      events
        .map(
          (event) =>
            `${event.stream}@${event.revision}:${event.type}:${JSON.stringify(event.data)}:${String(event.metadata.occurredAt)}`,
        )
        .sort();
    const [first, second, other] = [await seeded(60, 'same'), await seeded(60, 'same'), await seeded(60, 'other')];
    expect(digest(second.events)).toEqual(digest(first.events));
    expect(digest(other.events)).not.toEqual(digest(first.events));
    expect(first.events.some((event) => event.stream === `case-${syntheticCaseId('same', 0)}`)).toBe(true);
  });
});

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { EventSchemaRegistry, createPersonalDataProtector, handleStreamCommand } from '@harbour/application';
import { uuidFromName } from '@harbour/shared';
import { ephemeralPrivacyConfig } from '@harbour/privacy';
import { caseStreamName, decideCase, DomainExamples, evolveCase, initialCaseState } from '@harbour/domain';
import { SqliteEventStore } from '@harbour/event-store';
import { tempDir } from '@harbour/testing';
import { eventually } from '../../../libs/projections/test/support/counter.projection';
import {
  DATABASE_URL,
  createTestSchema,
  describeWithPostgres,
} from '../../../libs/read-store/test/support/postgres-test-database';
import { ProjectorProcess } from './support/projector-process';

const { actors, adultReferralData, commands } = DomainExamples;
const CHILD = join(__dirname, 'fixtures', 'registry-projector-child.ts');
const CASES = 150;
// Thursday before Easter 2026: the lead assessments fell due on Monday 13 April, long before the
// real clock the projector processes run on.
const RAISED_AT = '2026-04-02T10:00:00.000Z';

describeWithPostgres('the deadline scheduler in apps/projector, distributed mode', () => {
  it('two projector processes, one killed mid-way and restarted: each missed deadline is recorded once', async () => {
    const dir = tempDir('harbour-scheduler-process-');
    const schema = await createTestSchema();
    const store = new SqliteEventStore({ filename: join(dir.path, 'events.db'), pollIntervalMs: 10 });
    const schemas = new EventSchemaRegistry();
    const personalData = await createPersonalDataProtector(ephemeralPrivacyConfig(), store, schemas);
    const caseIds = Array.from({ length: CASES }, (_, i) => uuidFromName(`process-scheduler-${i}`));
    const decider = { initialState: initialCaseState, decide: decideCase, evolve: evolveCase };
    for (const caseId of caseIds) {
      await handleStreamCommand(
        { store, schemas, personalData },
        caseStreamName(caseId),
        decider,
        commands.raiseReferral(adultReferralData(), caseId),
        {
          actor: actors.lead,
          occurredAt: RAISED_AT,
          commandId: uuidFromName(`raise:${caseId}`),
          correlationId: caseId,
        },
        { actor: actors.lead, now: RAISED_AT },
        () => undefined,
      );
    }
    const env = {
      HARBOUR_DATA_DIR: dir.path,
      HARBOUR_SQLITE_POLL_MS: '10',
      HARBOUR_READ_STORE: 'postgres',
      DATABASE_URL,
      HARBOUR_READ_STORE_SCHEMA: schema.schema,
      HARBOUR_PROJECTOR_STANDBY_RETRY_MS: '50',
      HARBOUR_SCHEDULER_INTERVAL_MS: '20',
      TEST_PROJECTION_SUFFIX: `-${randomBytes(4).toString('hex')}`,
    };
    const breachesPerCase = async () => {
      const counts = new Map<string, number>();
      for await (const event of store.readAll({ filter: { eventTypes: ['DeadlineBreached'] } })) {
        const caseId = String(event.data.caseId);
        counts.set(caseId, (counts.get(caseId) ?? 0) + 1);
      }
      return counts;
    };
    const children: ProjectorProcess[] = [];
    const start = () => {
      const child = new ProjectorProcess(env, CHILD);
      children.push(child);
      return child;
    };
    try {
      const first = start();
      start();
      // Kill one as soon as the schedulers have begun recording.
      await eventually(async () => (await breachesPerCase()).size > 0, 'the first breach is recorded');
      first.kill('SIGKILL');
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
      // Mid-way: some recorded, not all.
      expect((await breachesPerCase()).size).toBeLessThan(CASES);
      start();

      await eventually(async () => (await breachesPerCase()).size === CASES, 'every breach is recorded');
      // A few more polls of both live schedulers: nothing is recorded twice.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const counts = await breachesPerCase();
      expect([...counts.keys()].sort()).toEqual([...caseIds].sort());
      expect([...counts.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await Promise.all(children.map((child) => child.dispose()));
      await personalData.keys.close();
      await store.close();
      await schema.drop();
      dir.remove();
    }
  }, 90_000);
});

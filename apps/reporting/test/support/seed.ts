import { createPersonalDataProtector, EventSchemaRegistry } from '@harbour/application';
import { seedSyntheticReferrals } from '@harbour/synthetic';
import type { SqliteEventStore } from '@harbour/event-store';
import { ephemeralPrivacyConfig } from '@harbour/privacy';
import type { SqliteReadStore } from '@harbour/read-store';

/** Seeds synthetic referrals through the write path into the stores; none may be refused. */
export async function seedCases(
  store: SqliteEventStore,
  readStore: SqliteReadStore,
  options: { cases: number; seed: string; from: string; to: string },
): Promise<void> {
  const schemas = new EventSchemaRegistry();
  const personalData = await createPersonalDataProtector(ephemeralPrivacyConfig(), store, schemas);
  const seeded = await seedSyntheticReferrals({ store, readStore, schemas, personalData }, options);
  expect(seeded.refused).toEqual({});
}

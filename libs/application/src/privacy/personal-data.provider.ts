import { StreamNotFoundError, type EventStore } from '@harbour/event-store';
import { PersonalDataProtector, SubjectKeys, createKeyStore, type PrivacyConfig } from '@harbour/privacy';
import type { EventSchemaRegistry } from '../event-schemas/event-schema-registry';

/** DI token of the {@link PersonalDataProtector}: encrypts on the write path, decrypts for readers. */
export const PERSONAL_DATA = Symbol('PERSONAL_DATA');

/**
 * Opens the key store the configuration names, checks the master key against it (a wrong one
 * throws a `ConfigurationError` naming `HARBOUR_MASTER_KEY`, which stops start-up), and builds the
 * protector over the event schemas' `x-personal-data` marks.
 */
export async function createPersonalDataProtector(
  config: PrivacyConfig,
  store: EventStore,
  schemas: EventSchemaRegistry,
  now: () => Date = () => new Date(),
): Promise<PersonalDataProtector> {
  const keys = await SubjectKeys.open(createKeyStore(config.keyStore), config.masterKey, {
    now,
    poolSize: config.keyPoolSize,
  });
  return new PersonalDataProtector({
    keys,
    pathsOf: (type, version) => schemas.personalDataPaths(type, version),
    firstEventOf: async (stream) => {
      try {
        for await (const event of store.readStream(stream, { maxCount: 1 })) return event;
      } catch (error) {
        if (!(error instanceof StreamNotFoundError)) throw error;
      }
      return undefined;
    },
  });
}

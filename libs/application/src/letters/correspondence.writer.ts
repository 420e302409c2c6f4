import { correspondenceStreamName, type CorrespondenceEvent } from '@harbour/domain';
import type { EventStore } from '@harbour/event-store';
import { refusePersonalData } from '@harbour/privacy';
import { uuidFromName } from '@harbour/shared';
import { ConcurrencyConflictError } from '../command-handling/command-errors';
import { handleStreamCommand, type Decider, type SystemActor } from '../command-handling/handle-stream-command';
import type { EventSchemaRegistry } from '../event-schemas/event-schema-registry';

/** The letters process manager and its sender, as event metadata names them. */
export const LETTERS_ACTOR: SystemActor = {
  userId: 'system:letters',
  role: 'system',
  agency: 'harbour',
  region: '*',
  panels: [],
};

// The process manager decided already: the command is the event to record.
const correspondenceDecider: Decider<CorrespondenceEvent, CorrespondenceEvent, null, null> = {
  initialState: () => null,
  decide: (event) => [event],
  evolve: (state) => state,
};

const MAX_ATTEMPTS = 10;

/**
 * Appends one event to the case's correspondence stream exactly once: the command id (so the
 * event id) derives from `key`, so a retry after a crash finds it there and writes nothing.
 */
export async function recordCorrespondence(
  deps: { readonly store: EventStore; readonly schemas: EventSchemaRegistry },
  caseId: string,
  event: CorrespondenceEvent,
  key: string,
  occurredAt: string,
): Promise<void> {
  const commandId = uuidFromName(`correspondence:${key}`);
  for (let attempt = 1; ; attempt += 1) {
    try {
      await handleStreamCommand(
        {
          store: deps.store,
          schemas: deps.schemas,
          // Correspondence events hold no personal data (addresses are never recorded).
          personalData: refusePersonalData((type, version) => deps.schemas.personalDataPaths(type, version)),
        },
        correspondenceStreamName(caseId),
        correspondenceDecider,
        event,
        { actor: LETTERS_ACTOR, occurredAt, commandId, correlationId: commandId },
        null,
        () => undefined,
      );
      return;
    } catch (error) {
      // The sender and the process manager may append to the same stream at once: try again.
      if (!(error instanceof ConcurrencyConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

import { CaseNotFoundError, caseStreamName } from '@harbour/domain';
import { StreamNotFoundError, type EventStore, type RecordedEvent } from '@harbour/event-store';
import { foldCase, type LoadedCase } from './case-history';

/**
 * Turns stored events into what a reader may see (`@harbour/privacy` decrypts personal data, or
 * shows `[erased]` where its key was destroyed).
 */
export type EventOpener = (events: readonly RecordedEvent[]) => Promise<readonly RecordedEvent[]>;

/**
 * Reads a case's stream, opens its events for reading and folds them.
 * @throws CaseNotFoundError when there is no such case.
 */
export async function loadCase(store: EventStore, caseId: string, open?: EventOpener): Promise<LoadedCase> {
  const stored: RecordedEvent[] = [];
  try {
    for await (const event of store.readStream(caseStreamName(caseId))) stored.push(event);
  } catch (error) {
    if (error instanceof StreamNotFoundError) throw new CaseNotFoundError(caseId);
    throw error;
  }
  const events = open ? await open(stored) : stored;
  return { caseId, events, stored, state: foldCase(events) };
}

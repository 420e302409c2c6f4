import { uuidFromName } from '@harbour/shared';
import { businessTimeOf, DomainExamples, type CaseEvent } from '@harbour/domain';
import type { EventStore, JsonObject } from '@harbour/event-store';

const { exampleCaseStreams, historyIn, ids, actors } = DomainExamples;

/**
 * The example case streams (every case event type between them) copied `copies` times, each copy
 * a case of its own, appended as the write path would store them. Returns the head position.
 */
export async function appendExampleCases(store: EventStore, copies: number, tag: string): Promise<bigint> {
  const originals = [...exampleCaseStreams(), historyIn['negative-upheld'](), historyIn.suspended()];
  for (let copy = 0; copy < copies; copy++) {
    for (const [n, original] of originals.entries()) {
      const caseId = uuidFromName(`${tag}-${copy}-${n}`);
      const childCaseId = uuidFromName(`${tag}-child-${copy}-${n}`);
      const events = JSON.parse(
        JSON.stringify(original).replaceAll(ids.caseId, caseId).replaceAll(ids.childCaseId, childCaseId),
      ) as CaseEvent[];
      const stream = `case-${String(events[0].data.caseId)}`;
      await store.appendToStream(
        stream,
        events.map((event, i) => ({
          id: uuidFromName(`${stream}:${i}`),
          type: event.type,
          data: event.data as unknown as JsonObject,
          metadata: {
            schemaVersion: 1,
            occurredAt: businessTimeOf(event),
            actor: { ...actors.lead, panels: [] },
            commandId: uuidFromName(`${stream}:command:${i}`),
          },
        })),
        { expectedRevision: 'no_stream' },
      );
    }
  }
  return store.headPosition();
}

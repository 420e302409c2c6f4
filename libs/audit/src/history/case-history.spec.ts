import { DomainExamples, schemaVersionOf } from '@harbour/domain';
import type { JsonObject, RecordedEvent } from '@harbour/event-store';
import { caseStateAt, foldCase, historyEntryOf, type LoadedCase } from './case-history';

const { ids, historyIn } = DomainExamples;

/** The example decided case as stored events, one second apart. */
function loadedCase(): LoadedCase {
  const events: RecordedEvent[] = historyIn['decided-negative']().map((event, index) => ({
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    stream: `case-${ids.caseId}`,
    revision: BigInt(index),
    position: BigInt(100 + index),
    type: event.type,
    data: event.data as unknown as JsonObject,
    metadata: { occurredAt: '2015-07-20T12:00:00.000Z', schemaVersion: schemaVersionOf(event.type) },
    recordedAt: new Date(Date.UTC(2015, 6, 21, 9, 0, index)),
  }));
  return { caseId: ids.caseId, events, stored: events, state: foldCase(events) };
}

describe('caseStateAt', () => {
  const sut = loadedCase();
  const last = sut.events.length - 1;

  it('as of the latest revision gives the state already folded, without folding again', () => {
    const result = caseStateAt(sut, { revision: BigInt(last) });

    expect(result.state).toBe(sut.state);
    expect(result.revision).toBe(String(last));
  });

  it('as of an earlier revision folds only the events up to it', () => {
    const result = caseStateAt(sut, { revision: 2n });

    expect(result.state).toEqual(foldCase(sut.events.slice(0, 3)));
    expect(result.state).not.toEqual(sut.state);
    expect(result.revision).toBe('2');
  });

  it('as of a time before the latest event folds the events recorded by then', () => {
    const result = caseStateAt(sut, { asOf: sut.events[last - 1].recordedAt });

    expect(result.state).toEqual(foldCase(sut.events.slice(0, last)));
    expect(result.revision).toBe(String(last - 1));
  });
});

describe('historyEntryOf', () => {
  const [event] = loadedCase().events;

  it('says who did it and whether they back-dated it, as the metadata records', () => {
    const actor = { userId: 'lead-1', role: 'lead', agency: 'devon-and-cornwall-police', region: 'south-west' };
    const entry = historyEntryOf({ ...event, metadata: { ...event.metadata, actor, backdated: true } });
    expect(entry.who).toEqual(actor);
    expect(entry.backdated).toBe(true);
    expect(historyEntryOf(event)).toMatchObject({ who: null, backdated: false });
  });
});

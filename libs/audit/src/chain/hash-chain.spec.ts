import { createHash } from 'node:crypto';
import type { JsonObject } from '@harbour/event-store';
import { canonicalJson } from './canonical-json';
import { ChainVerifier, GENESIS_HASH, chainEvents, eventHash, headHashOf, type ChainedEvent } from './hash-chain';

const meta = (n: number): JsonObject => ({ actor: { userId: `u${n}`, role: 'lead' }, occurredAt: `2015-09-0${n}` });

function stream(name: string, count: number, firstPosition = 1n): ChainedEvent[] {
  const chained = chainEvents(
    GENESIS_HASH,
    Array.from({ length: count }, (_, i) => ({ type: `Happened${i}`, data: { n: i }, metadata: meta(i + 1) })),
  );
  return chained.map((event, i) => ({
    ...event,
    id: `${name}-${i}`,
    stream: name,
    revision: BigInt(i),
    position: firstPosition + BigInt(i),
  }));
}

describe('the hash chain', () => {
  it('hashes the canonical JSON of type, data, metadata without hash, and prevHash', () => {
    const event = { type: 'ReferralRaised', data: { b: 2, a: 1 }, metadata: { z: 1, hash: 'ignored' } };
    const expected = createHash('sha256')
      .update(canonicalJson({ type: 'ReferralRaised', data: { a: 1, b: 2 }, metadata: { z: 1 }, prevHash: 'p' }))
      .digest('hex');
    expect(eventHash(event, 'p')).toBe(expected);
    expect(eventHash(event, 'p')).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash(event, 'q')).not.toBe(expected);
  });

  it('chains a batch from the stream head: each event links to the one before it', () => {
    const head = 'a'.repeat(64);
    const [first, second] = chainEvents(head, [
      { type: 'A', data: {}, metadata: meta(1) },
      { type: 'B', data: {}, metadata: meta(2) },
    ]);
    expect(first.metadata.prevHash).toBe(head);
    expect(first.metadata.hash).toBe(eventHash(first, head));
    expect(second.metadata.prevHash).toBe(first.metadata.hash);
    expect(second.metadata.hash).toBe(eventHash(second, first.metadata.hash));
  });

  it('starts a new stream, or one whose last event has no hash, from 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(headHashOf(undefined)).toBe(GENESIS_HASH);
    expect(headHashOf({ metadata: {} })).toBe(GENESIS_HASH);
    expect(headHashOf({ metadata: { hash: 'b'.repeat(64) } })).toBe('b'.repeat(64));
  });
});

describe('ChainVerifier', () => {
  const verify = (events: readonly ChainedEvent[]) => {
    const sut = new ChainVerifier();
    for (const event of events) sut.add(event);
    return sut;
  };

  it('passes intact streams, interleaved as $all delivers them', () => {
    const a = stream('case-a', 3);
    const b = stream('case-b', 2, 10n);
    const sut = verify([a[0], b[0], a[1], b[1], a[2]]);
    expect(sut.broken).toEqual([]);
    expect(sut.events).toBe(5);
    expect(sut.streamCount).toBe(2);
    expect(sut.stream('case-a')).toEqual({
      stream: 'case-a',
      ok: true,
      events: 3,
      headHash: a[2].metadata.hash,
      firstBroken: null,
    });
  });

  it('names an altered event by its hash', () => {
    const events = stream('case-a', 4);
    const altered = { ...events[1], data: { n: 99 } };
    const sut = verify([events[0], altered, events[2], events[3]]);
    expect(sut.broken).toEqual([
      expect.objectContaining({ stream: 'case-a', revision: '1', position: '2', problem: 'hash-mismatch' }),
    ]);
    expect(sut.broken[0].detail).toMatch(/altered/);
  });

  it('names an event whose stored hash was rewritten along with its data by the next link', () => {
    const events = stream('case-a', 3);
    const forged = chainEvents(events[0].metadata.hash as string, [{ ...events[1], data: { n: 99 } }])[0];
    const sut = verify([events[0], { ...events[1], ...forged }, events[2]]);
    expect(sut.broken).toEqual([expect.objectContaining({ revision: '2', problem: 'prev-hash-mismatch' })]);
  });

  it('names the event after a removed one by the gap in revisions', () => {
    const events = stream('case-a', 4);
    const sut = verify([events[0], events[2], events[3]]);
    expect(sut.broken).toEqual([
      expect.objectContaining({ revision: '2', position: '3', problem: 'revision-gap', eventId: 'case-a-2' }),
    ]);
    expect(sut.broken[0].detail).toBe('revision 1 is missing before it: an event was removed');
    expect(verify(events.slice(1)).broken[0]).toMatchObject({ revision: '1', problem: 'revision-gap' });
  });

  it('says how many events were removed when several in a row are missing', () => {
    const events = stream('case-a', 5);
    const sut = verify([events[0], events[3], events[4]]);
    expect(sut.broken).toEqual([expect.objectContaining({ revision: '3', problem: 'revision-gap' })]);
    expect(sut.broken[0].detail).toBe('revisions 1 to 2 are missing before it: an event was removed');
  });

  it('names an event delivered again after a later one as a reordering, not a removal', () => {
    const events = stream('case-a', 3);
    const sut = verify([events[0], events[1], events[0], events[2]]);
    expect(sut.broken).toEqual([
      expect.objectContaining({ revision: '0', position: '1', problem: 'revision-gap', eventId: 'case-a-0' }),
    ]);
    expect(sut.broken[0].detail).toBe('revision 0 came after revision 1: the stream was reordered');
  });

  it('names a removal hidden by renumbering the revisions by its prevHash', () => {
    const events = stream('case-a', 4);
    const renumbered = [events[0], { ...events[2], revision: 1n }, { ...events[3], revision: 2n }];
    expect(verify(renumbered).broken).toEqual([
      expect.objectContaining({ revision: '1', problem: 'prev-hash-mismatch' }),
    ]);
    const firstRemoved = [{ ...events[1], revision: 0n }];
    expect(verify(firstRemoved).broken[0]).toMatchObject({ problem: 'prev-hash-mismatch' });
    expect(verify(firstRemoved).broken[0].detail).toMatch(/first event/);
  });

  it('names the revision whose hash a later prevHash fails to match, so an auditor knows where to look', () => {
    const events = stream('case-a', 4);
    const renumbered = [events[0], events[1], { ...events[3], revision: 2n }];
    const [broken] = verify(renumbered).broken;
    expect(broken).toMatchObject({ revision: '2', problem: 'prev-hash-mismatch' });
    expect(broken.detail).toBe(
      `prevHash ${events[3].metadata.prevHash as string} is not the hash of revision 1 (${events[1].metadata.hash as string}): ` +
        'an event before it was removed or replaced',
    );
  });

  it('names an event without a hash', () => {
    const events = stream('case-a', 2);
    const { hash: _hash, prevHash: _prev, ...bare } = events[1].metadata;
    expect(verify([events[0], { ...events[1], metadata: bare }]).broken).toEqual([
      expect.objectContaining({ revision: '1', problem: 'missing-hash' }),
    ]);
    expect(verify([events[0], { ...events[1], metadata: bare }]).broken[0].detail).toMatch(/no hash/);
  });

  it('reports only the first break of a stream, and goes on checking the others', () => {
    const a = stream('case-a', 3);
    const b = stream('case-b', 2, 10n);
    const sut = verify([{ ...a[0], data: { n: 5 } }, b[0], { ...a[1], data: { n: 6 } }, { ...b[1], type: 'X' }, a[2]]);
    expect(sut.broken.map((broken) => [broken.stream, broken.revision])).toEqual([
      ['case-a', '0'],
      ['case-b', '1'],
    ]);
    expect(sut.stream('case-a')).toMatchObject({ ok: false, events: 3 });
  });
});

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DuplicateEventIdError, SqliteEventStore, WrongExpectedRevisionError } from '@harbour/event-store';
import { anEvent, collect, take, tempDir } from '@harbour/testing';

describe('SqliteEventStore (what only the SQLite adapter promises)', () => {
  let dir: ReturnType<typeof tempDir>;
  let filename: string;
  beforeEach(() => {
    dir = tempDir();
    filename = join(dir.path, 'events.db');
  });
  afterEach(() => dir.remove());

  it('runs in WAL mode with synchronous=FULL set explicitly', async () => {
    const sut = new SqliteEventStore({ filename });
    expect(sut.storageSettings()).toEqual({ journalMode: 'wal', synchronous: 'FULL' });
    await sut.close();
    const normal = new SqliteEventStore({ filename, synchronous: 'NORMAL' });
    expect(normal.storageSettings()).toEqual({ journalMode: 'wal', synchronous: 'NORMAL' });
    await normal.close();
  });

  it('refuses an event id already stored in another stream', async () => {
    const sut = new SqliteEventStore({ filename: ':memory:' });
    const event = anEvent();
    await sut.appendToStream('s-1', [event], { expectedRevision: 'no_stream' });
    const error = await sut.appendToStream('s-2', [event], { expectedRevision: 'no_stream' }).catch((e) => e);
    expect(error).toBeInstanceOf(DuplicateEventIdError);
    expect(error).toMatchObject({ eventId: event.id, storedIn: 's-1', storedAt: 0n });
    await expect(collect(sut.readStream('s-2'))).rejects.toThrow('not found');
    await sut.close();
  });

  it('writes a multi-event append whole or not at all, even when it shares a commit with others', async () => {
    const sut = new SqliteEventStore({ filename: ':memory:' });
    const taken = anEvent();
    await sut.appendToStream('s-1', [taken], { expectedRevision: 'no_stream' });
    // Queued together, so one transaction commits all three: the second event of s-2 reuses an id
    // that s-1 holds, so s-2 must be refused whole while s-3 and s-4 are kept.
    const outcomes = await Promise.allSettled([
      sut.appendToStream('s-3', [anEvent()], { expectedRevision: 'no_stream' }),
      sut.appendToStream('s-2', [anEvent(), taken, anEvent()], { expectedRevision: 'no_stream' }),
      sut.appendToStream('s-4', [anEvent(), anEvent()], { expectedRevision: 'no_stream' }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
    await expect(collect(sut.readStream('s-2'))).rejects.toThrow('not found');
    expect((await collect(sut.readAll())).map((event) => `${event.stream}@${event.revision}`)).toEqual([
      's-1@0',
      's-3@0',
      's-4@0',
      's-4@1',
    ]);
    // The stream is free for a whole append afterwards, from revision 0.
    await sut.appendToStream('s-2', [anEvent(), anEvent()], { expectedRevision: 'no_stream' });
    expect((await collect(sut.readStream('s-2'))).map((event) => event.revision)).toEqual([0n, 1n]);
    await sut.close();
  });

  it('refuses a retry whose ids are stored at other revisions than it expects', async () => {
    const sut = new SqliteEventStore({ filename: ':memory:' });
    await sut.appendToStream('s-1', [anEvent()], { expectedRevision: 'no_stream' });
    const events = [anEvent()];
    await sut.appendToStream('s-1', events, { expectedRevision: 0n });
    await sut.appendToStream('s-1', [anEvent()], { expectedRevision: 1n });
    // Same ids, but claiming they belong after revision 1: not the same append.
    await expect(sut.appendToStream('s-1', events, { expectedRevision: 1n })).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    await sut.close();
  });

  it('refuses a no_stream retry whose ids are stored after the start of the stream', async () => {
    const sut = new SqliteEventStore({ filename: ':memory:' });
    await sut.appendToStream('s-1', [anEvent()], { expectedRevision: 'no_stream' });
    const events = [anEvent()];
    await sut.appendToStream('s-1', events, { expectedRevision: 0n });
    // Same ids, but claiming to start the stream: not the append that stored them at revision 1.
    await expect(sut.appendToStream('s-1', events, { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    await sut.close();
  });

  it('commits concurrent appends in one transaction, each with its own outcome', async () => {
    const sut = new SqliteEventStore({ filename });
    await sut.appendToStream('s-1', [anEvent()], { expectedRevision: 'no_stream' });
    const outcomes = await Promise.allSettled([
      sut.appendToStream('s-1', [anEvent()], { expectedRevision: 0n }),
      sut.appendToStream('s-1', [anEvent()], { expectedRevision: 0n }),
      sut.appendToStream('s-2', [anEvent(), anEvent()], { expectedRevision: 'no_stream' }),
      sut.appendToStream('s-3', [anEvent()], { expectedRevision: 'stream_exists' }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    const recorded = await collect(sut.readAll());
    // One recorded time for the whole batch shows it was one transaction.
    expect(new Set(recorded.slice(1).map((e) => e.recordedAt.toISOString())).size).toBe(1);
    expect(recorded.map((e) => e.stream)).toEqual(['s-1', 's-1', 's-2', 's-2']);
    await sut.close();
  });

  it('wakes a subscriber on appends made through another connection to the same file', async () => {
    const reader = new SqliteEventStore({ filename, pollIntervalMs: 20 });
    const writer = new SqliteEventStore({ filename });
    const subscription = reader.subscribeToAll({ fromPosition: 'end' });
    try {
      const live = take(subscription, 2, 5_000);
      await writer.appendToStream('elsewhere-1', [anEvent('FromElsewhere', 1)], { expectedRevision: 'no_stream' });
      await writer.appendToStream('elsewhere-2', [anEvent('FromElsewhere', 2)], { expectedRevision: 'no_stream' });
      expect((await live).map((e) => e.data.n)).toEqual([1, 2]);
    } finally {
      await subscription.close();
      await reader.close();
      await writer.close();
    }
  });

  it('checks expected revisions against appends another connection made to a stream it appended to', async () => {
    // The per-stream head this store remembers must give way to what another process wrote.
    const sut = new SqliteEventStore({ filename });
    const other = new SqliteEventStore({ filename });
    await sut.appendToStream('s-1', [anEvent()], { expectedRevision: 'no_stream' });
    await sut.appendToStream('s-1', [anEvent()], { expectedRevision: 0n });
    await other.appendToStream('s-1', [anEvent(), anEvent()], { expectedRevision: 1n });
    await expect(sut.appendToStream('s-1', [anEvent()], { expectedRevision: 1n })).rejects.toThrow(
      WrongExpectedRevisionError,
    );
    expect(await sut.appendToStream('s-1', [anEvent()], { expectedRevision: 3n })).toMatchObject({ nextRevision: 4n });
    expect(await sut.appendToStream('s-1', [anEvent()], { expectedRevision: 'any' })).toMatchObject({
      nextRevision: 5n,
    });
    await other.close();
    await sut.close();
  });

  it('remembers no head from an append that was refused or rolled back', async () => {
    const sut = new SqliteEventStore({ filename: ':memory:' });
    const taken = anEvent();
    await sut.appendToStream('s-0', [taken], { expectedRevision: 'no_stream' });
    // The second event's id is taken: the whole two-event append rolls back, s-1 stays empty.
    await expect(sut.appendToStream('s-1', [anEvent(), taken], { expectedRevision: 'no_stream' })).rejects.toThrow(
      DuplicateEventIdError,
    );
    expect(await sut.appendToStream('s-1', [anEvent()], { expectedRevision: 'no_stream' })).toMatchObject({
      nextRevision: 0n,
    });
    await expect(sut.appendToStream('s-1', [anEvent()], { expectedRevision: 'no_stream' })).rejects.toThrow(
      WrongExpectedRevisionError,
    );
    await sut.close();
  });

  it('refuses appends and reads after close', async () => {
    const sut = new SqliteEventStore({ filename: ':memory:' });
    await sut.close();
    await expect(sut.appendToStream('s', [anEvent()], { expectedRevision: 'any' })).rejects.toThrow('closed');
    await expect(collect(sut.readStream('s'))).rejects.toThrow('closed');
  });

  it('commits appends queued before close', async () => {
    const sut = new SqliteEventStore({ filename });
    const pending = sut.appendToStream('s-1', [anEvent('Queued', 1)], { expectedRevision: 'no_stream' });
    await sut.close();
    await expect(pending).resolves.toMatchObject({ nextRevision: 0n });
    const reopened = new SqliteEventStore({ filename });
    expect((await collect(reopened.readStream('s-1'))).map((e) => e.data.n)).toEqual([1]);
    await reopened.close();
  });

  it('refuses a file written by a newer schema', async () => {
    const raw = new Database(filename);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => new SqliteEventStore({ filename })).toThrow(/schema version 99/);
  });

  it('uses the injected clock for recorded time', async () => {
    const at = new Date('2015-08-03T09:00:00.000Z');
    const sut = new SqliteEventStore({ filename: ':memory:', now: () => at });
    await sut.appendToStream('s-1', [{ id: randomUUID(), type: 'T', data: {} }], { expectedRevision: 'any' });
    expect((await collect(sut.readStream('s-1')))[0].recordedAt).toEqual(at);
    await sut.close();
  });
});

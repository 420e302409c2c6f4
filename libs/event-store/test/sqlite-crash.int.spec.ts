import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@harbour/event-store';
import { collect, tempDir } from '@harbour/testing';

interface Ack {
  appendId: string;
  stream: string;
  nextRevision: bigint;
  position: bigint;
}

const FIXTURE = join(__dirname, 'fixtures', 'crash-appender.ts');

/** Runs the appender child until it has acknowledged `acks` appends, then SIGKILLs it. */
function appendThenKill(filename: string, acks: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', FIXTURE, filename], {
      cwd: join(__dirname, '..', '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const got: Ack[] = [];
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [word, appendId, stream, nextRevision, position] = line.split(' ');
        if (word !== 'ack') continue;
        got.push({ appendId, stream, nextRevision: BigInt(nextRevision), position: BigInt(position) });
        if (got.length === acks) child.kill('SIGKILL');
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(got);
      else reject(new Error(`appender exited by itself (${String(_code)}): ${stderr}`));
    });
  });
}

describe('SQLite event store killed mid-append (SIGKILL)', () => {
  it('keeps every acknowledged append, never half a batch, and reopens', async () => {
    const dir = tempDir();
    const filename = join(dir.path, 'events.db');
    try {
      const acknowledged: Ack[] = [];
      // Several kills of the same file: each restart must find a usable store and build on it.
      for (const acks of [150, 400, 800]) acknowledged.push(...(await appendThenKill(filename, acks)));

      const raw = new Database(filename, { readonly: true });
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      raw.close();

      const store = new SqliteEventStore({ filename });
      try {
        const all = await collect(store.readAll());
        const byAppend = new Map<string, typeof all>();
        for (const event of all) {
          const id = String(event.data.appendId);
          byAppend.set(id, [...(byAppend.get(id) ?? []), event]);
        }
        // No batch is half-written: every append present has all three events, in order.
        for (const events of byAppend.values()) {
          expect(events.map((e) => e.data.part)).toEqual([0, 1, 2]);
        }
        // Every acknowledged append is there, at the position and revision it was acknowledged with.
        for (const ack of acknowledged) {
          const events = byAppend.get(ack.appendId);
          expect(events).toHaveLength(3);
          expect(events![2].position).toBe(ack.position);
          expect(events![2].revision).toBe(ack.nextRevision);
          expect(events![2].stream).toBe(ack.stream);
        }
        // Streams have no gaps.
        const streams = new Set(all.map((e) => e.stream));
        for (const stream of streams) {
          const revisions = (await collect(store.readStream(stream))).map((e) => e.revision);
          expect(revisions).toEqual(revisions.map((_, i) => BigInt(i)));
        }
        // And the reopened store takes new appends.
        await expect(
          store.appendToStream('after-crash', [{ id: crypto.randomUUID(), type: 'Reopened', data: {} }], {
            expectedRevision: 'no_stream',
          }),
        ).resolves.toMatchObject({ nextRevision: 0n });
      } finally {
        await store.close();
      }
    } finally {
      dir.remove();
    }
  }, 60_000);
});

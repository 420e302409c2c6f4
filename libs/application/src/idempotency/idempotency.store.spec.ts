import { join } from 'node:path';
import { tempDir } from '@harbour/testing';
import { SqliteIdempotencyStore } from './idempotency.store';

describe('SqliteIdempotencyStore', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir('harbour-idempotency-')));
  afterEach(() => dir.remove());

  const open = () => new SqliteIdempotencyStore({ filename: join(dir.path, 'idempotency.db') });
  const answer = { status: 201, headers: { etag: '"0"' }, body: { caseId: 'c-1' } };

  it('replays a completed response, refuses the key with another request, and holds a claim in flight', async () => {
    const sut = open();
    expect(await sut.claim('user\nk1', 'hash-1')).toEqual({ kind: 'claimed' });
    expect(await sut.claim('user\nk1', 'hash-1')).toEqual({ kind: 'in-flight' });
    await sut.complete('user\nk1', answer);
    expect(await sut.claim('user\nk1', 'hash-1')).toEqual({ kind: 'replay', response: answer });
    expect(await sut.claim('user\nk1', 'hash-2')).toEqual({ kind: 'mismatch' });
    await sut.close();
  });

  it('lets a key be claimed again at once when the process that claimed it died before answering', async () => {
    const crashed = open();
    await crashed.claim('user\nk1', 'hash-1');
    await crashed.claim('user\nk2', 'hash-2');
    await crashed.complete('user\nk2', answer);
    // No close: the process was killed.

    const restarted = open();
    expect(await restarted.claim('user\nk1', 'hash-1')).toEqual({ kind: 'claimed' });
    // What was answered stays answered.
    expect(await restarted.claim('user\nk2', 'hash-2')).toEqual({ kind: 'replay', response: answer });
    await restarted.close();
    await crashed.close();
  });
});

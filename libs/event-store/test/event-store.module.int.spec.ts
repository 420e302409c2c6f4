import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { EVENT_STORE, EventStoreClosedError, EventStoreModule, type EventStore } from '@harbour/event-store';
import { anEvent, collect, tempDir } from '@harbour/testing';

describe('EventStoreModule', () => {
  it('provides the configured store under EVENT_STORE and closes it on shutdown', async () => {
    const dir = tempDir();
    try {
      const filename = join(dir.path, 'nested', 'events.db');
      const app = await Test.createTestingModule({
        imports: [EventStoreModule.forRoot({ adapter: 'sqlite', filename, synchronous: 'FULL', pollIntervalMs: 50 })],
      }).compile();
      app.enableShutdownHooks();
      const sut = app.get<EventStore>(EVENT_STORE);
      const pending = sut.appendToStream('case-1', [anEvent('ReferralRaised')], { expectedRevision: 'no_stream' });

      await app.close();

      // The append queued before shutdown was committed; the closed store refuses new work.
      await expect(pending).resolves.toMatchObject({ nextRevision: 0n });
      await expect(sut.appendToStream('case-1', [anEvent()], { expectedRevision: 0n })).rejects.toBeInstanceOf(
        EventStoreClosedError,
      );
      await expect(collect(sut.readAll())).rejects.toBeInstanceOf(EventStoreClosedError);
    } finally {
      dir.remove();
    }
  });
});

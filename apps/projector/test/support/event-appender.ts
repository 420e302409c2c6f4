import type { EventStore } from '@harbour/event-store';
import { appendEvent, type CounterEventType } from '../../../../libs/projections/test/support/counter.projection';

/**
 * Appends counter events in the background, in small concurrent groups, until stopped: mostly
 * `Counted` over many streams, with some of every other type (parking, deleting, ignored).
 */
export class EventAppender {
  private running = true;
  private readonly done: Promise<void>;
  appended = 0;

  constructor(store: EventStore, streams = 40) {
    const types: CounterEventType[] = [
      'Counted',
      'Counted',
      'Counted',
      'Counted',
      'Counted',
      'Counted',
      'Tagged',
      'Ignored',
      'Unchanged',
    ];
    this.done = (async () => {
      for (let round = 0; this.running; round++) {
        await Promise.all(
          Array.from({ length: 8 }, (_, i) => {
            const n = round * 8 + i;
            const type: CounterEventType = n % 97 === 0 ? 'Poison' : n % 89 === 0 ? 'Reset' : types[n % types.length];
            return appendEvent(store, `counter-${(n * 7) % streams}`, type, { tag: `t${n % 5}` });
          }),
        );
        this.appended += 8;
        // Paces the appender so the projector has time to work between groups.
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

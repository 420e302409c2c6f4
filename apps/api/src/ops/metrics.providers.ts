import { Inject, Injectable, type OnModuleInit, type Provider } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import { HarbourMetrics } from '@harbour/observability';
import { PROJECTIONS } from '@harbour/projections';
import { READ_STORE, type ReadStore } from '@harbour/read-store';
import { toProblem } from '../http/problem-details.filter';

/** DI token of the app's {@link HarbourMetrics}. */
export const METRICS = Symbol('METRICS');

export function metricsProvider(metrics: HarbourMetrics): Provider {
  return { provide: METRICS, useValue: metrics };
}

/** What a command's outcome is called in `harbour_commands_total`: a fixed set, by problem status. */
const OUTCOMES: Record<number, string> = {
  400: 'invalid',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  412: 'precondition-failed',
  422: 'rejected',
};

/**
 * Measures every command the API dispatches and every append to the event store, in place, when
 * the app starts: handlers, controllers and the deadline scheduler stay unaware of metrics.
 */
@Injectable()
export class MetricsInstaller implements OnModuleInit {
  constructor(
    @Inject(METRICS) private readonly metrics: HarbourMetrics,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly commandBus: CommandBus,
  ) {}

  onModuleInit(): void {
    this.metrics.instrumentEventStore(this.eventStore);
    this.metrics.watchProjections(this.eventStore, this.readStore, PROJECTIONS);
    const metrics = this.metrics;
    const execute = this.commandBus.execute.bind(this.commandBus);
    this.commandBus.execute = (async (dispatched: object) => {
      const command = commandTypeOf(dispatched);
      const end = metrics.commandDuration.startTimer({ command });
      let outcome = 'error';
      try {
        const result = await execute(dispatched as never);
        outcome = outcomeOf(result);
        return result;
      } catch (error) {
        outcome = OUTCOMES[toProblem(error).status] ?? 'error';
        throw error;
      } finally {
        end({ outcome });
        metrics.commands.inc({ command, outcome });
      }
    }) as CommandBus['execute'];
  }
}

/** The domain command's type (`RaiseReferral`), else the bus command's class name: never its data. */
function commandTypeOf(dispatched: object): string {
  const inner = (dispatched as { command?: { type?: unknown } }).command?.type;
  return typeof inner === 'string' && /^[A-Za-z]{1,64}$/.test(inner) ? inner : dispatched.constructor.name;
}

function outcomeOf(result: unknown): string {
  const outcome = result as { replayed?: boolean; unchanged?: boolean } | undefined;
  if (outcome?.replayed) return 'replayed';
  if (outcome?.unchanged) return 'unchanged';
  return 'accepted';
}

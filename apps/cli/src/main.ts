import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { createEventStore, eventStoreConfigFrom, type EventStore } from '@harbour/event-store';
import { PROJECTIONS, ProjectionRunner, findProjection, type Projection } from '@harbour/projections';
import { createReadStore, readStoreConfigFrom, type ReadStore } from '@harbour/read-store';

const HELP = `harbour: Harbour's admin and audit command line

Usage:
  npm run -s harbour -- projections status
  npm run -s harbour -- projections rebuild [name]
  npm run -s harbour -- projections retry-parked [name]

Commands:
  projections status         each projection's checkpoint, lag behind the event store and parked events
  projections rebuild        rebuilds read models blue/green: shadow tables from position 0 while the
                             live ones keep serving, then an atomic swap (all projections, or [name])
  projections retry-parked   re-applies parked (failed) events; those that now apply are unparked

It reads the same settings as the API (HARBOUR_EVENT_STORE, HARBOUR_READ_STORE, HARBOUR_DATA_DIR,
DATABASE_URL, EVENTSTORE_CONNECTION_STRING). Exit codes: 0 done, 1 failed, 2 bad usage.`;

class UsageError extends Error {}

interface Stores {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
}

function selected(name: string | undefined): Projection[] {
  if (name === undefined) return [...PROJECTIONS];
  const projection = findProjection(name);
  if (!projection) {
    throw new UsageError(`No projection named ${name}; known: ${PROJECTIONS.map((p) => p.name).join(', ')}`);
  }
  return [projection];
}

async function status(stores: Stores, projections: Projection[]): Promise<number> {
  const head = await stores.eventStore.headPosition();
  const rows = [];
  for (const projection of projections) {
    const checkpoint = await stores.readStore.checkpoint(projection.name);
    const parked = await stores.readStore.parkedEvents(projection.name);
    const position = checkpoint?.position ?? -1n;
    rows.push({
      projection: projection.name,
      version: checkpoint
        ? `${checkpoint.version}${checkpoint.version === projection.version ? '' : ` (code: ${projection.version})`}`
        : 'never run',
      checkpoint: position < 0n ? '-' : String(position),
      lag: String(head > position ? head - position : 0n),
      parked: String(parked.length),
      updated: checkpoint?.updatedAt ?? '-',
    });
  }
  console.log(`event store head: ${head < 0n ? 'empty' : String(head)}`);
  console.table(rows);
  for (const projection of projections) {
    for (const event of await stores.readStore.parkedEvents(projection.name)) {
      // Type, stream and error only: event data may hold personal data.
      console.log(`parked: ${projection.name} @${event.position} ${event.type} in ${event.stream}: ${event.error}`);
    }
  }
  return 0;
}

async function rebuild(stores: Stores, projections: Projection[]): Promise<number> {
  for (const projection of projections) {
    const runner = new ProjectionRunner(stores.eventStore, stores.readStore, projection);
    const bar = new SingleBar({
      format: `${projection.name} [{bar}] {percentage}% | {events} events | {rate} events/s | ETA {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 50,
    });
    const head = await stores.eventStore.headPosition();
    const started = Date.now();
    bar.start(Math.max(Number(head), 1), 0, { events: 0, rate: 0 });
    await runner.rebuild({
      onProgress: (progress) => {
        const seconds = (Date.now() - started) / 1000;
        bar.setTotal(Math.max(Number(progress.head ?? head), 1));
        bar.update(Number(progress.checkpoint), {
          events: progress.total,
          rate: seconds > 0 ? Math.round(progress.total / seconds) : 0,
        });
      },
    });
    bar.update(bar.getTotal());
    bar.stop();
    console.log(`${projection.name}: rebuilt and swapped in (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  return 0;
}

async function retryParked(stores: Stores, projections: Projection[]): Promise<number> {
  let stillParked = 0;
  for (const projection of projections) {
    const report = await new ProjectionRunner(stores.eventStore, stores.readStore, projection).retryParked();
    console.log(`${projection.name}: ${report.unparked} applied and unparked, ${report.stillParked} still parked`);
    stillParked += report.stillParked;
  }
  return stillParked > 0 ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' } },
  });
  const [group, command, name, ...extra] = positionals;
  if (values.help || group === undefined) {
    console.log(HELP);
    return group === undefined && !values.help ? 2 : 0;
  }
  if (group !== 'projections' || extra.length > 0) throw new UsageError(`Unknown command: ${positionals.join(' ')}`);
  const run = { status, rebuild, 'retry-parked': retryParked }[command ?? ''];
  if (!run) throw new UsageError(`Unknown projections command: ${command ?? '(none)'}`);
  if (command === 'status' && name !== undefined) throw new UsageError('projections status takes no name');

  const projections = selected(name);
  const eventStore = createEventStore(eventStoreConfigFrom(process.env));
  const readStore = createReadStore(readStoreConfigFrom(process.env));
  try {
    return await run({ eventStore, readStore }, projections);
  } finally {
    await readStore.close();
    await eventStore.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n\n${HELP}\n`);
      process.exit(2);
    }
    process.stderr.write(`harbour: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);

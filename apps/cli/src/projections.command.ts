import { Argument, Option, type Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { PROJECTIONS, ProjectionRunner, findProjection, type Projection } from '@harbour/projections';
import { withStores, type Stores } from './cli.stores';
import { commandGroup, type RegisterCommands } from './cli.program';
import { textTable } from './text-table';

/** One projection's standing, as `projections status` prints it (and `--json` gives it). */
export interface ProjectionStatus {
  readonly projection: string;
  /** The version its read models were built by; `null` if it never ran. */
  readonly version: number | null;
  /** The version the code declares: a different one means the next start rebuilds it. */
  readonly codeVersion: number;
  /** The position of the last event applied, a decimal string; `null` if none. */
  readonly checkpoint: string | null;
  /** Events in the store after the checkpoint. */
  readonly lag: string;
  readonly updatedAt: string | null;
  /** Type, stream and error only: an event's data may hold personal data. */
  readonly parked: ReadonlyArray<{ position: string; type: string; stream: string; error: string }>;
}

export interface StatusReport {
  /** The event store's last position, a decimal string; `null` while it is empty. */
  readonly head: string | null;
  readonly projections: readonly ProjectionStatus[];
}

export async function projectionsStatus(stores: Stores, projections: readonly Projection[]): Promise<StatusReport> {
  const head = await stores.eventStore.headPosition();
  const report: ProjectionStatus[] = [];
  for (const projection of projections) {
    const checkpoint = await stores.readStore.checkpoint(projection.name);
    const parked = await stores.readStore.parkedEvents(projection.name);
    const position = checkpoint?.position ?? -1n;
    report.push({
      projection: projection.name,
      version: checkpoint?.version ?? null,
      codeVersion: projection.version,
      checkpoint: position < 0n ? null : String(position),
      lag: String(head > position ? head - position : 0n),
      updatedAt: checkpoint?.updatedAt ?? null,
      parked: parked.map((event) => ({
        position: String(event.position),
        type: event.type,
        stream: event.stream,
        error: event.error,
      })),
    });
  }
  return { head: head < 0n ? null : String(head), projections: report };
}

/** The status as a table for a person: one line per projection, then each parked event. */
export function renderStatus(report: StatusReport): string {
  const rows = report.projections.map((status) => ({
    projection: status.projection,
    version:
      status.version === null
        ? 'never run'
        : `${status.version}${status.version === status.codeVersion ? '' : ` (code: ${status.codeVersion})`}`,
    checkpoint: status.checkpoint ?? '-',
    lag: status.lag,
    parked: String(status.parked.length),
    updated: status.updatedAt ?? '-',
  }));
  const table = textTable(
    [
      { key: 'projection', title: 'PROJECTION' },
      { key: 'version', title: 'VERSION' },
      { key: 'checkpoint', title: 'CHECKPOINT', align: 'right' },
      { key: 'lag', title: 'LAG', align: 'right' },
      { key: 'parked', title: 'PARKED', align: 'right' },
      { key: 'updated', title: 'UPDATED' },
    ],
    rows,
  );
  const parked = report.projections.flatMap((status) =>
    status.parked.map(
      (event) => `parked: ${status.projection} @${event.position} ${event.type} in ${event.stream}: ${event.error}`,
    ),
  );
  return [`event store head: ${report.head ?? 'empty'}`, '', table, ...(parked.length > 0 ? ['', ...parked] : [])].join(
    '\n',
  );
}

async function rebuild(stores: Stores, projections: readonly Projection[]): Promise<number> {
  if (projections.length > 1) return rebuildTogether(stores, projections);
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

async function retryParked(stores: Stores, projections: readonly Projection[]): Promise<number> {
  let stillParked = 0;
  for (const projection of projections) {
    const report = await new ProjectionRunner(stores.eventStore, stores.readStore, projection).retryParked();
    console.log(`${projection.name}: ${report.unparked} applied and unparked, ${report.stillParked} still parked`);
    stillParked += report.stillParked;
  }
  return stillParked > 0 ? 1 : 0;
}

/** `[name]`: one projection of the registry, or all of them when left out. */
function projectionArgument(): Argument {
  return new Argument('[name]', 'one projection (default: all)').choices(PROJECTIONS.map((p) => p.name));
}

function selected(name: string | undefined): Projection[] {
  const projection = name === undefined ? undefined : findProjection(name);
  return projection ? [projection] : [...PROJECTIONS];
}

/** `harbour projections status | rebuild | retry-parked`. */
export const registerProjectionsCommands: RegisterCommands = (program: Command, cli) => {
  const projections = commandGroup(program, 'projections', 'read models: status, blue/green rebuilds, parked events');
  projections
    .command('status')
    .description("each projection's checkpoint, lag behind the event store and parked events")
    .addOption(new Option('--json', 'print the status as JSON (positions as decimal strings)'))
    .action(
      cli.action(async (options: { json?: boolean }) => {
        const report = await withStores(cli.config(), (stores) => projectionsStatus(stores, PROJECTIONS));
        console.log(options.json ? JSON.stringify(report, null, 2) : renderStatus(report));
        return 0;
      }),
    );
  projections
    .command('rebuild')
    .summary('rebuilds read models blue/green, with no downtime')
    .description(
      'rebuilds read models blue/green: shadow tables from position 0 while the live ones keep ' +
        'serving, then an atomic swap; with a progress bar',
    )
    .addArgument(projectionArgument())
    .action(cli.action((name?: string) => withStores(cli.config(), (stores) => rebuild(stores, selected(name)))));
  projections
    .command('retry-parked')
    .summary('re-applies parked (failed) events')
    .description('re-applies parked (failed) events; those that now apply are unparked; exit 1 if any stay parked')
    .addArgument(projectionArgument())
    .action(cli.action((name?: string) => withStores(cli.config(), (stores) => retryParked(stores, selected(name)))));
};

/** Every projection asked for in one pass over the events (each page read once for all). */
async function rebuildTogether(stores: Stores, projections: readonly Projection[]): Promise<number> {
  const names = projections.map((projection) => projection.name).join(', ');
  const bar = new SingleBar({
    format: `${names} [{bar}] {percentage}% | {rate} events/s | ETA {eta_formatted}`,
    hideCursor: true,
    etaBuffer: 50,
  });
  const head = await stores.eventStore.headPosition();
  const started = Date.now();
  bar.start(Math.max(Number(head), 1), 0, { rate: 0 });
  await ProjectionRunner.rebuildTogether(
    projections.map((projection) => new ProjectionRunner(stores.eventStore, stores.readStore, projection)),
    {
      onProgress: (progress) => {
        const seconds = (Date.now() - started) / 1000;
        bar.setTotal(Math.max(Number(progress.head ?? head), 1));
        bar.update(Number(progress.checkpoint), {
          rate: seconds > 0 ? Math.round(Number(progress.checkpoint) / seconds) : 0,
        });
      },
    },
  );
  bar.update(bar.getTotal());
  bar.stop();
  console.log(`${names}: rebuilt in one pass and swapped in (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return 0;
}

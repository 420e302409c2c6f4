import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import {
  EventSchemaRegistry,
  applyRetention,
  createPersonalDataProtector,
  retentionReport,
  systemClock,
  type RetentionEntry,
} from '@harbour/application';
import {
  AccessLog,
  buildCaseExport,
  loadCase,
  renderCaseExportHtml,
  renderCaseExportJson,
  verifyCaseExport,
  verifyStore,
  verifyStream,
  type ChainBreak,
} from '@harbour/audit';
import { caseStreamName } from '@harbour/domain';
import { ConfigurationError, createEventStore, type EventStore } from '@harbour/event-store';
import { PROJECTIONS, ProjectionRunner, findProjection, type Projection } from '@harbour/projections';
import { createReadStore, type ReadStore } from '@harbour/read-store';
import { seed, seedCommandOptions } from './seed.command';
import {
  DEVELOPMENT_MASTER_KEY_FILE,
  SubjectKeys,
  createKeyStore,
  decodeMasterKey,
  type MasterKey,
} from '@harbour/privacy';
import { cliConfigFrom, type CliConfig } from './cli.config';

const HELP = `harbour: Harbour's admin and audit command line

Usage:
  npm run -s harbour -- projections status
  npm run -s harbour -- projections rebuild [name]
  npm run -s harbour -- projections retry-parked [name]
  npm run -s harbour -- audit verify [--case <caseId>]
  npm run -s harbour -- audit export <caseId> [--format json|html] [--out <file>]
  npm run -s harbour -- audit verify-export <file.json>
  npm run -s harbour -- seed --cases <n> [--seed <s>] [--from <date> --to <date>]
  npm run -s harbour -- keys rotate-master [--new-key-file <file>]
  npm run -s harbour -- retention report
  npm run -s harbour -- retention apply [--dry-run]

Commands:
  projections status         each projection's checkpoint, lag behind the event store and parked events
  projections rebuild        rebuilds read models blue/green: shadow tables from position 0 while the
                             live ones keep serving, then an atomic swap (all projections, or [name])
  projections retry-parked   re-applies parked (failed) events; those that now apply are unparked
  audit verify               checks the hash chain of every stream (a progress bar over the whole
                             store), or of one case; names the first broken event; exit 1 if broken
  audit export               writes a self-contained case file (timeline, decisions with rationale,
                             the hash chain and its verification) as JSON or printable HTML, to
                             stdout or --out; the export is logged as a read of the case
  audit verify-export        checks an exported JSON case file offline: every byte, its digest and
                             its hash chain; exit 1 if anything was changed
  seed                       raises <n> synthetic referrals (obviously synthetic names, published
                             distributions) and carries them through the workflow with the real
                             commands and deadline scheduler, in business time between --from and
                             --to (default 2025-07-01 to 2026-09-30); the same --seed (default 1)
                             gives the same data
  keys rotate-master         re-wraps every subject's data key from the current master key
                             (HARBOUR_MASTER_KEY, or ./data/dev-master-key) to a new one (the
                             HARBOUR_NEW_MASTER_KEY setting or --new-key-file, 32 bytes base64), with
                             a progress bar; safe to interrupt and run again. Stop the API first and
                             start it with the new key after (in embedded development mode the
                             dev-master-key file is replaced for you)
  retention report           lists the subjects whose personal data is due for erasure under
                             HARBOUR_RETENTION (per outcome, default six years after closure or
                             withdrawal), and those held back by a legal hold
  retention apply            erases what is due (destroys each subject's key, records
                             SubjectDataErased), skipping cases on legal hold; --dry-run only reports

It reads the same settings as the API (HARBOUR_EVENT_STORE, HARBOUR_READ_STORE, HARBOUR_DATA_DIR,
DATABASE_URL, EVENTSTORE_CONNECTION_STRING, HARBOUR_MASTER_KEY, HARBOUR_KEY_STORE, HARBOUR_RETENTION).
Exit codes: 0 done, 1 failed (or a broken chain), 2 bad usage, 78 a bad setting.`;

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

function describeBreak(broken: ChainBreak): string {
  return (
    `first broken event: stream ${broken.stream}, revision ${broken.revision}, position ${broken.position} ` +
    `(${broken.type}, id ${broken.eventId})\n  ${broken.problem}: ${broken.detail}`
  );
}

async function auditVerify(eventStore: EventStore, caseId: string | undefined): Promise<number> {
  if (caseId !== undefined) {
    const result = await verifyStream(eventStore, caseStreamName(caseId));
    if (result.firstBroken) {
      console.log(`BROKEN: ${describeBreak(result.firstBroken)}`);
      return 1;
    }
    console.log(`OK: ${result.stream}: all ${result.events} events intact; head hash ${result.headHash}`);
    return 0;
  }
  const head = await eventStore.headPosition();
  const bar = new SingleBar({
    format: 'verify [{bar}] {percentage}% | {events} events | position {value}/{total} | ETA {eta_formatted}',
    hideCursor: true,
  });
  bar.start(Math.max(Number(head), 1), 0, { events: 0 });
  const result = await verifyStore(eventStore, {
    onProgress: ({ position, events }) => bar.update(Math.max(Number(position), 0), { events }),
  });
  bar.update(bar.getTotal());
  bar.stop();
  if (result.firstBroken) {
    console.log(`BROKEN: ${describeBreak(result.firstBroken)}`);
    for (const other of result.brokenStreams.slice(1)) {
      console.log(`also broken: ${other.stream} at revision ${other.revision} (${other.problem})`);
    }
    console.log(`${result.brokenStreams.length} of ${result.streams} streams broken; ${result.events} events checked`);
    return 1;
  }
  console.log(`OK: ${result.events} events in ${result.streams} streams, every link intact`);
  return 0;
}

async function auditExport(
  config: CliConfig,
  eventStore: EventStore,
  caseId: string,
  format: string,
  out: string | undefined,
) {
  const schemas = new EventSchemaRegistry();
  // The export shows the personal data decrypted (or [erased]); its events stay as stored.
  const personalData = await createPersonalDataProtector(config.privacy, eventStore, schemas);
  let loaded;
  try {
    loaded = await loadCase(eventStore, caseId, (events) => personalData.openAll(events));
  } finally {
    await personalData.keys.close();
  }
  const operator = `cli:${userInfo().username}`;
  const file = buildCaseExport(loaded, systemClock.now(), operator);
  // An export carries the person's data: it is logged like any read of the case.
  await new AccessLog({
    store: eventStore,
    now: () => systemClock.now(),
    validate: (type, version, data) => schemas.validate(type, version, data),
  }).recordView({
    caseId,
    viewer: { userId: operator, role: 'command-line', agency: 'harbour' },
    endpoint: `harbour audit export --format ${format}`,
  });
  const text = format === 'html' ? renderCaseExportHtml(file) : renderCaseExportJson(file);
  if (out === undefined) process.stdout.write(text);
  else writeFileSync(out, text, { mode: 0o600 });
  if (!file.verification.ok && file.verification.firstBroken) {
    process.stderr.write(
      `harbour: exported, but the case's chain is BROKEN: ${describeBreak(file.verification.firstBroken)}\n`,
    );
    return 1;
  }
  if (out !== undefined) console.log(`exported ${caseId} (${file.events.length} events, ${format}) to ${out}`);
  return 0;
}

function auditVerifyExport(path: string): number {
  const result = verifyCaseExport(readFileSync(path, 'utf8'));
  if (!result.ok) {
    console.log(`BROKEN: ${path}${result.caseId ? ` (case ${result.caseId})` : ''}`);
    for (const problem of result.problems) console.log(`  ${problem}`);
    return 1;
  }
  console.log(`OK: ${path}: case ${result.caseId}, ${result.events} events, digest and hash chain intact`);
  return 0;
}

async function audit(
  config: CliConfig,
  command: string | undefined,
  args: string[],
  options: { case?: string; format?: string; out?: string },
): Promise<number> {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (command === 'verify-export') {
    if (args.length !== 1) throw new UsageError('audit verify-export takes one file');
    return auditVerifyExport(args[0]);
  }
  if (command === 'verify') {
    if (args.length > 0) throw new UsageError('audit verify takes no arguments (use --case <caseId>)');
    if (options.case !== undefined && !UUID.test(options.case)) throw new UsageError('--case must be a case id (UUID)');
  } else if (command === 'export') {
    if (args.length !== 1 || !UUID.test(args[0])) throw new UsageError('audit export takes one case id (UUID)');
    if (!['json', 'html'].includes(options.format ?? 'json')) throw new UsageError('--format must be json or html');
  } else {
    throw new UsageError(`Unknown audit command: ${command ?? '(none)'}`);
  }
  const eventStore = createEventStore(config.eventStore);
  try {
    return command === 'verify'
      ? await auditVerify(eventStore, options.case)
      : await auditExport(config, eventStore, args[0], options.format ?? 'json', options.out);
  } finally {
    await eventStore.close();
  }
}

async function seedGroup(
  config: CliConfig,
  args: string[],
  values: { cases?: string; seed?: string; from?: string; to?: string },
): Promise<number> {
  if (args.length > 0) throw new UsageError('seed takes no arguments');
  const options = seedCommandOptions(values);
  if (typeof options === 'string') throw new UsageError(options);
  const eventStore = createEventStore(config.eventStore);
  const readStore = createReadStore(config.readStore);
  try {
    return await seed({ eventStore, readStore }, options, config.privacy);
  } finally {
    await readStore.close();
    await eventStore.close();
  }
}

async function rotateMaster(cli: CliConfig, newKeyFile: string | undefined): Promise<number> {
  const config = cli.privacy;
  let next: MasterKey;
  if (newKeyFile !== undefined) next = decodeMasterKey(readFileSync(newKeyFile, 'utf8'), '--new-key-file');
  else if (cli.newMasterKey !== undefined) next = cli.newMasterKey;
  else throw new UsageError('keys rotate-master needs the new key: HARBOUR_NEW_MASTER_KEY or --new-key-file <file>');
  const store = createKeyStore(config.keyStore);
  const bar = new SingleBar({ format: 'rotate [{bar}] {percentage}% | {value}/{total} keys', hideCursor: true });
  try {
    let started = false;
    const report = await SubjectKeys.rotateMaster(store, config.masterKey, next, (done, total) => {
      if (!started) bar.start(Math.max(total, 1), 0);
      started = true;
      bar.setTotal(Math.max(total, 1));
      bar.update(done);
    });
    bar.stop();
    // Embedded development mode keeps its master key in a file: it must follow the store.
    if (config.masterKey.source.endsWith(DEVELOPMENT_MASTER_KEY_FILE)) {
      writeFileSync(config.masterKey.source, `${next.bytes().toString('base64')}\n`, { mode: 0o600 });
      console.log(`${config.masterKey.source} now holds the new master key`);
    }
    console.log(
      `OK: ${report.total} data keys under the new master key (${report.rewrapped} re-wrapped now, ` +
        `${report.alreadyRotated} already were). Start Harbour with the new HARBOUR_MASTER_KEY.`,
    );
    return 0;
  } finally {
    bar.stop();
    await store.close();
  }
}

function describeEntry(entry: RetentionEntry): string {
  // Ids, outcomes and dates only: never anything about the person.
  const held = entry.heldCaseIds.length > 0 ? `; on legal hold: ${entry.heldCaseIds.join(', ')}` : '';
  return (
    `subject ${entry.subjectId}: cases ${entry.caseIds.join(', ')}; ${entry.outcome} at ${entry.endedAt}, ` +
    `kept ${entry.period}, due ${entry.dueAt}${held}`
  );
}

async function retention(cli: CliConfig, command: string | undefined, dryRun: boolean): Promise<number> {
  if (command !== 'report' && command !== 'apply')
    throw new UsageError(`Unknown retention command: ${command ?? '(none)'}`);
  if (dryRun && command !== 'apply') throw new UsageError('--dry-run belongs to retention apply');
  const config = cli.privacy;
  const eventStore = createEventStore(cli.eventStore);
  try {
    const now = systemClock.now();
    if (command === 'report') {
      const report = await retentionReport(eventStore, config.retention, now);
      console.log(`retention at ${report.at}: ${report.due.length} due, ${report.held.length} due but held`);
      for (const entry of report.due) console.log(`due: ${describeEntry(entry)}`);
      for (const entry of report.held) console.log(`held: ${describeEntry(entry)}`);
      console.log(
        `${report.notYetDue} not yet due, ${report.open} with a case still open, ${report.erased} already erased`,
      );
      return 0;
    }
    const schemas = new EventSchemaRegistry();
    const personalData = await createPersonalDataProtector(config, eventStore, schemas);
    const bar = new SingleBar({ format: 'erase [{bar}] {percentage}% | {value}/{total} subjects', hideCursor: true });
    try {
      let started = false;
      const summary = await applyRetention({ store: eventStore, schemas, personalData }, config.retention, now, {
        dryRun,
        onProgress: (done, total) => {
          if (!started) bar.start(Math.max(total, 1), 0);
          started = true;
          bar.update(done);
        },
      });
      bar.stop();
      for (const entry of summary.report.due) console.log(`${dryRun ? 'would erase' : 'due'}: ${describeEntry(entry)}`);
      for (const entry of summary.report.held) console.log(`skipped (legal hold): ${describeEntry(entry)}`);
      console.log(
        dryRun
          ? `dry run: ${summary.report.due.length} subjects would be erased, ${summary.report.held.length} held; nothing changed`
          : `erased ${summary.erased} subjects, skipped ${summary.report.held.length} on legal hold` +
              `${summary.skipped > 0 ? ` and ${summary.skipped} refused meanwhile` : ''}`,
      );
      for (const subjectId of summary.incomplete) {
        console.error(`not finished: ${subjectId}: a key store reader still holds its key's old bytes; run again`);
      }
      return summary.incomplete.length > 0 ? 1 : 0;
    } finally {
      bar.stop();
      await personalData.keys.close();
    }
  } finally {
    await eventStore.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      case: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      cases: { type: 'string' },
      seed: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'new-key-file': { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  });
  const [group, command, name, ...extra] = positionals;
  if (values.help || group === undefined) {
    console.log(HELP);
    return group === undefined && !values.help ? 2 : 0;
  }
  if (values['new-key-file'] !== undefined && group !== 'keys')
    throw new UsageError('--new-key-file belongs to keys rotate-master');
  if (values['dry-run'] && group !== 'retention') throw new UsageError('--dry-run belongs to retention apply');
  const config = cliConfigFrom(process.env);
  if (group === 'audit') return audit(config, command, positionals.slice(2), values);
  if (group === 'keys') {
    if (command !== 'rotate-master' || name !== undefined)
      throw new UsageError(`Unknown keys command: ${positionals.join(' ')}`);
    return rotateMaster(config, values['new-key-file']);
  }
  if (group === 'retention') {
    if (name !== undefined) throw new UsageError(`retention ${command} takes no arguments`);
    return retention(config, command, values['dry-run'] === true);
  }
  if (group === 'seed') return seedGroup(config, positionals.slice(1), values);
  if ([values.cases, values.seed, values.from, values.to].some((value) => value !== undefined)) {
    throw new UsageError('--cases, --seed, --from and --to belong to the seed command');
  }
  if (values.case !== undefined || values.format !== undefined || values.out !== undefined) {
    throw new UsageError('--case, --format and --out belong to the audit commands');
  }
  if (group !== 'projections' || extra.length > 0) throw new UsageError(`Unknown command: ${positionals.join(' ')}`);
  const run = { status, rebuild, 'retry-parked': retryParked }[command ?? ''];
  if (!run) throw new UsageError(`Unknown projections command: ${command ?? '(none)'}`);
  if (command === 'status' && name !== undefined) throw new UsageError('projections status takes no name');

  const projections = selected(name);
  const eventStore = createEventStore(config.eventStore);
  const readStore = createReadStore(config.readStore);
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
    if (error instanceof ConfigurationError || (error as Error)?.name === 'ConfigurationError') {
      process.stderr.write(`harbour cannot start: ${(error as Error).message}\n`);
      process.exit(78); // EX_CONFIG
    }
    if (error instanceof UsageError || (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n\n${HELP}\n`);
      process.exit(2);
    }
    process.stderr.write(`harbour: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);

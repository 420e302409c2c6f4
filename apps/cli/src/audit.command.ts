import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { EventSchemaRegistry, createPersonalDataProtector, systemClock } from '@harbour/application';
import {
  AccessLog,
  SqliteLedger,
  anchorEvents,
  witnessHead,
  buildCaseExport,
  checkStoreAgainstHead,
  checkStoreAgainstLedger,
  type LedgerPublicKey,
  loadCase,
  renderCaseExportHtml,
  renderCaseExportJson,
  verifyCaseExport,
  verifyStore,
  verifyStream,
  type ChainBreak,
} from '@harbour/audit';
import { caseStreamName } from '@harbour/domain';
import type { EventStore } from '@harbour/event-store';
import type { CliConfig } from './cli.config';
import { withEventStore } from './cli.stores';
import { commandGroup, type RegisterCommands } from './cli.program';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Refuses anything but a case id before a store is opened. */
export function caseId(value: string): string {
  if (!UUID.test(value)) throw new InvalidArgumentError('a case id is a UUID.');
  return value;
}

function describeBreak(broken: ChainBreak): string {
  return (
    `first broken event: stream ${broken.stream}, revision ${broken.revision}, position ${broken.position} ` +
    `(${broken.type}, id ${broken.eventId})\n  ${broken.problem}: ${broken.detail}`
  );
}

/**
 * Checks the store against the ledger's leaves: what the chains cannot see (a recorded time
 * changed, the newest events of a stream cut off, an older copy of the store put back) is named.
 */
async function verifyAgainstLedger(config: CliConfig, eventStore: EventStore): Promise<number> {
  const { filename } = config.ledger;
  if (filename === ':memory:' || !existsSync(filename)) {
    console.log(`ledger: none at ${filename} yet (the API builds it as events are appended); not checked`);
    return 0;
  }
  const ledger = new SqliteLedger(filename);
  try {
    const result = await checkStoreAgainstLedger(eventStore, ledger);
    const pending = result.notYetInLedger > 0 ? `; ${result.notYetInLedger} newer events not yet in the ledger` : '';
    if (result.ok) {
      console.log(`OK: ledger: all ${result.checked} leaves match their events${pending}`);
      return 0;
    }
    console.log(`BROKEN: the store no longer matches the ledger (${result.problems.length} problems)`);
    for (const problem of result.problems.slice(0, 20)) console.log(`  ${problem.kind}: ${problem.detail}`);
    if (result.problems.length > 20) console.log(`  ... and ${result.problems.length - 20} more`);
    return 1;
  } finally {
    ledger.close();
  }
}

/** Checks the store against a signed head saved earlier (`--against-head`). */
async function verifyAgainstHead(
  config: CliConfig,
  eventStore: EventStore,
  headFile: string,
  keysFile: string | undefined,
): Promise<number> {
  let head: unknown;
  let keys: readonly LedgerPublicKey[] = config.ledger.publicKeys;
  try {
    head = JSON.parse(readFileSync(headFile, 'utf8'));
    if (keysFile !== undefined) keys = (JSON.parse(readFileSync(keysFile, 'utf8')) as { keys: LedgerPublicKey[] }).keys;
  } catch (error) {
    console.log(
      `BROKEN: cannot read ${keysFile !== undefined ? `${headFile} or ${keysFile}` : headFile}: ${(error as Error).message}`,
    );
    return 1;
  }
  const result = await checkStoreAgainstHead(eventStore, head, keys);
  if (result.ok) {
    console.log(
      `OK: head: the store's first ${result.treeSize} events hash to the signed head's root (${result.storeEvents} events now)`,
    );
    return 0;
  }
  console.log(`BROKEN: the store does not hold what the head in ${headFile} committed to`);
  for (const problem of result.problems) console.log(`  ${problem}`);
  return 1;
}

async function auditVerify(
  config: CliConfig,
  eventStore: EventStore,
  options: { case?: string; againstHead?: string; keys?: string },
): Promise<number> {
  const chains = await verifyChains(eventStore, options.case);
  if (options.case !== undefined) return chains;
  const ledger = await verifyAgainstLedger(config, eventStore);
  const head =
    options.againstHead === undefined
      ? 0
      : await verifyAgainstHead(config, eventStore, options.againstHead, options.keys);
  return Math.max(chains, ledger, head);
}

async function verifyChains(eventStore: EventStore, caseId: string | undefined): Promise<number> {
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
  format: 'json' | 'html',
  out: string | undefined,
): Promise<number> {
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
  // Each event's inclusion proof under a signed head: what makes the file more than its own word.
  const ledger = new SqliteLedger(config.ledger.filename);
  let anchored;
  try {
    anchored = await anchorEvents(ledger, eventStore, loaded.stored, config.ledger, systemClock.now());
  } finally {
    ledger.close();
  }
  if (!anchored.anchor) {
    process.stderr.write(`harbour: the export carries no ledger proofs (${anchored.reason}); it will not verify\n`);
  }
  const file = buildCaseExport(loaded, systemClock.now(), operator, anchored.anchor);
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

function auditVerifyExport(path: string, keysFile: string | undefined): number {
  let keys: LedgerPublicKey[] | undefined;
  if (keysFile !== undefined) {
    try {
      keys = (JSON.parse(readFileSync(keysFile, 'utf8')) as { keys: LedgerPublicKey[] }).keys;
    } catch (error) {
      console.log(`BROKEN: cannot read the keys in ${keysFile}: ${(error as Error).message}`);
      return 1;
    }
  }
  const result = verifyCaseExport(readFileSync(path, 'utf8'), { keys });
  if (!result.ok) {
    console.log(`BROKEN: ${path}${result.caseId ? ` (case ${result.caseId})` : ''}`);
    for (const problem of result.problems) console.log(`  ${problem}`);
    return 1;
  }
  const by = result.anchoredBy!;
  console.log(
    `OK: ${path}: case ${result.caseId}, ${result.events} events, digest, hash chain and readable sections intact; ` +
      `every event proven in the ledger's tree of ${by.treeSize} under the head signed at ${by.timestamp} by key ${by.keyId}` +
      (keys ? ' (one of the keys given)' : " (give --keys to check the key is Harbour's)"),
  );
  return 0;
}

/** Signs a head of the whole log now (on demand), after bringing the ledger up to date. */
async function auditSignHead(config: CliConfig, eventStore: EventStore): Promise<number> {
  if (!config.ledger.signingKey) {
    console.error('harbour: no ledger signing key is configured (HARBOUR_LEDGER_SIGNING_KEY)');
    return 1;
  }
  const ledger = new SqliteLedger(config.ledger.filename);
  try {
    await ledger.catchUp(eventStore);
    const head = ledger.signHead(config.ledger.signingKey, systemClock.now());
    witnessHead(config.ledger.witness, head);
    if (config.ledger.witness.kind !== 'stdout') process.stdout.write(`${JSON.stringify(head)}\n`);
    return 0;
  } finally {
    ledger.close();
  }
}

/** `harbour audit verify | export | verify-export | sign-head`. */
export const registerAuditCommands: RegisterCommands = (program: Command, cli) => {
  const audit = commandGroup(program, 'audit', 'hash-chain verification and case exports that verify offline');
  audit
    .command('verify')
    .summary('checks the hash chains and the ledger of the whole store, or the chain of one case')
    .description(
      'checks the hash chain of every stream (a progress bar over the whole store), or of one case; ' +
        'names the first broken event; for the whole store, then checks every event against its ' +
        'ledger leaf (ledger.db), naming a changed recorded time, an altered event and every ' +
        'event missing from the store; exit 1 if anything is broken',
    )
    .option('--case <caseId>', 'verify this case only', caseId)
    .option(
      '--against-head <head.json>',
      'also check the store against a signed tree head saved earlier (GET /ledger/head): names events missing since',
    )
    .option(
      '--keys <keys.json>',
      'the public keys to check the head with (GET /ledger/keys); default: the configured ones',
    )
    .action(
      cli.action((options: { case?: string; againstHead?: string; keys?: string }) =>
        withEventStore(cli.config(), (eventStore) => auditVerify(cli.config(), eventStore, options)),
      ),
    );
  audit
    .command('export')
    .summary('writes a case file as JSON or printable HTML')
    .description(
      'writes a self-contained case file (timeline, decisions with rationale, the hash chain and ' +
        'its verification) as JSON or printable HTML; the export is logged as a read of the case',
    )
    .argument('<caseId>', 'the case (UUID)', caseId)
    .addOption(new Option('--format <format>', 'the file format').choices(['json', 'html']).default('json'))
    .option('--out <file>', 'write it here (mode 0600) instead of to standard output')
    .action(
      cli.action((id: string, options: { format: 'json' | 'html'; out?: string }) =>
        withEventStore(cli.config(), (eventStore) =>
          auditExport(cli.config(), eventStore, id, options.format, options.out),
        ),
      ),
    );
  audit
    .command('verify-export')
    .summary('checks an exported JSON case file offline')
    .description(
      'checks an exported JSON case file offline: every byte, its digest, its hash chain, every readable ' +
        "section re-derived from its events, the signed tree head and each event's inclusion proof; exit 1 if changed",
    )
    .argument('<file>', 'a file written by `harbour audit export --format json`')
    .option('--keys <keys.json>', "Harbour's public keys (GET /ledger/keys): the head must be signed by one of them")
    .action(cli.action((file: string, options: { keys?: string }) => auditVerifyExport(file, options.keys)));
  audit
    .command('sign-head')
    .summary('signs a tree head of the whole log now, and prints it')
    .description(
      'brings the ledger up to the end of the log, signs a tree head of it with the ledger signing key, ' +
        'writes it to the witness sink (HARBOUR_LEDGER_WITNESS) and prints it as one JSON line',
    )
    .action(cli.action(() => withEventStore(cli.config(), (eventStore) => auditSignHead(cli.config(), eventStore))));
};

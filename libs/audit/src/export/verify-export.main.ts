import { readFileSync } from 'node:fs';
import type { LedgerPublicKey } from '../ledger/tree-head';
import { verifyCaseExport } from './case-export';

const USAGE = `usage: node harbour-verify-export.cjs <case-file.json> [--keys <keys.json>]

Checks a case file written by \`harbour audit export --format json\`, with nothing but Node:
every byte, its digest, the hash chain, every readable section (timeline, decisions, status,
state) re-derived from its events, the signed tree head's Ed25519 signature and each event's
RFC 9162 inclusion proof. --keys: Harbour's public keys (GET /ledger/keys), which the head must be
signed by; without it the file's own key is used, and its id is printed to compare with Harbour's.
Exit 0 when intact, 1 when anything is wrong (each problem named), 2 on bad usage.`;

/**
 * The offline verifier an auditor runs: the same `verifyCaseExport` as `harbour audit
 * verify-export`, built into one file that needs only Node (`npm run build:verifier`).
 */
export function verifyExportMain(args: readonly string[], write: (line: string) => void): number {
  const [file, ...rest] = args;
  if (
    file === undefined ||
    file === '--help' ||
    file.startsWith('-') ||
    !(rest.length === 0 || (rest.length === 2 && rest[0] === '--keys'))
  ) {
    write(USAGE);
    return file === '--help' ? 0 : 2;
  }
  let text: string;
  let keys: LedgerPublicKey[] | undefined;
  try {
    text = readFileSync(file, 'utf8');
    if (rest.length === 2) keys = (JSON.parse(readFileSync(rest[1], 'utf8')) as { keys: LedgerPublicKey[] }).keys;
  } catch (error) {
    write(`BROKEN: cannot read ${rest.length === 2 ? `${file} or ${rest[1]}` : file}: ${(error as Error).message}`);
    return 1;
  }
  const result = verifyCaseExport(text, { keys });
  if (!result.ok) {
    write(`BROKEN: ${file}${result.caseId ? ` (case ${result.caseId})` : ''}`);
    for (const problem of result.problems) write(`  ${problem}`);
    return 1;
  }
  const by = result.anchoredBy!;
  write(
    `OK: ${file}: case ${result.caseId}, ${result.events} events; digest, hash chain and readable sections intact; ` +
      `every event proven in the ledger's tree of ${by.treeSize} leaves under the head signed at ${by.timestamp} ` +
      `by key ${by.keyId}${keys ? ' (one of the keys given)' : " (give --keys to check it is Harbour's)"}`,
  );
  return 0;
}

if (require.main === module) process.exitCode = verifyExportMain(process.argv.slice(2), (line) => console.log(line));

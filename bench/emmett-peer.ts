/**
 * Emmett's SQLite event store, the best-known Node peer, installed only for the benchmarks: its
 * own package.json under bench/peers/emmett, never in Harbour's dependencies.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const PEER_DIR = join(__dirname, 'peers', 'emmett');

/** The part of Emmett's SQLite store the append benchmark uses. */
export interface EmmettSqliteEventStore {
  appendToStream(
    streamName: string,
    events: { type: string; data: Record<string, unknown>; metadata?: Record<string, unknown> }[],
    options?: { expectedStreamVersion?: bigint },
  ): Promise<{ nextExpectedStreamVersion: bigint }>;
}

interface EmmettSqliteModule {
  getSQLiteEventStore(options: { fileName: string }): EmmettSqliteEventStore;
}

/** Installs the peer on first use (`npm install --prefix bench/peers/emmett`), then loads it. */
export function loadEmmettSqlite(): EmmettSqliteModule {
  if (!existsSync(join(PEER_DIR, 'node_modules', '@event-driven-io', 'emmett-sqlite'))) {
    console.log('installing the Emmett peer into bench/peers/emmett (first run only)...');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const installed = spawnSync(npm, ['install', '--prefix', PEER_DIR, '--no-audit', '--no-fund'], {
      stdio: 'inherit',
    });
    if (installed.status !== 0) throw new Error(`npm install --prefix ${PEER_DIR} failed (${installed.status})`);
  }
  return createRequire(join(PEER_DIR, 'package.json'))('@event-driven-io/emmett-sqlite') as EmmettSqliteModule;
}

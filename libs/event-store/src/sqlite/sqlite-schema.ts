import type Database from 'better-sqlite3';

/**
 * No index on `type`: readers filter by type while walking positions in order (see the adapter),
 * and every index is paid for on each append.
 *
 * `position` is the rowid: SQLite hands out max+1, so it is strictly increasing in commit order
 * (appends are serialised by the write lock) and costs no extra index.
 */
const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY,
  id          TEXT    NOT NULL UNIQUE,
  stream      TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL,
  UNIQUE (stream, revision)
);
`;

const SCHEMA_VERSION = 1;

/** Creates or checks the schema. A file written by a newer Harbour is refused, not guessed at. */
export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `The event store file has schema version ${version}; this build knows up to ${SCHEMA_VERSION}. Upgrade Harbour.`,
    );
  }
  if (version < SCHEMA_VERSION) {
    db.transaction(() => {
      db.exec(SCHEMA_V1);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
  }
}

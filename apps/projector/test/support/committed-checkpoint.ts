import Database from 'better-sqlite3';

/** The checkpoint a projector has committed to a SQLite read store, read without taking any lock (-1 before the first). */
export function committedCheckpoint(readFile: string, projection: string): bigint {
  let db: Database.Database | undefined;
  try {
    db = new Database(readFile, { readonly: true, fileMustExist: true });
    db.defaultSafeIntegers(true);
    const row = db.prepare('select position from projection_checkpoints where projection = ?').get(projection) as
      { position: bigint } | undefined;
    return row?.position ?? -1n;
  } catch {
    return -1n; // Not created yet.
  } finally {
    db?.close();
  }
}

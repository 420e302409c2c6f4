/**
 * Errors the read store throws on purpose. Messages name tables and columns, never values: rows
 * hold personal data, and these messages end up in logs.
 */

/** Another writer moved the projection's checkpoint since the batch was computed: nothing was written. */
export class CheckpointConflictError extends Error {
  constructor(
    readonly projection: string,
    readonly expectedGeneration: number,
    readonly actualGeneration: number,
  ) {
    super(
      `Checkpoint of ${projection} is at generation ${actualGeneration}, not ${expectedGeneration}: another writer committed first`,
    );
    this.name = 'CheckpointConflictError';
  }
}

/** A row does not fit its table's spec (wrong type, missing or unknown column). */
export class RowShapeError extends Error {
  constructor(
    readonly table: string,
    readonly column: string,
    reason: string,
  ) {
    super(`${table}.${column}: ${reason}`);
    this.name = 'RowShapeError';
  }
}

/** A table spec or a query the store cannot serve (bad identifier, unknown column, missing cursor value). */
export class InvalidReadStoreRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidReadStoreRequestError';
  }
}

/**
 * The read store's file is damaged (not a database, or failing SQLite's integrity check). Thrown
 * when it is opened, so start-up stops rather than serving damaged read models. Read models are
 * rebuilt from the event store: move the file aside and start again.
 */
export class CorruptReadStoreError extends Error {
  constructor(
    readonly filename: string,
    readonly problem: string,
  ) {
    super(
      `The read store file ${filename} is damaged (${problem}). Move it aside and start again: the read models are rebuilt from the event store.`,
    );
    this.name = 'CorruptReadStoreError';
  }
}

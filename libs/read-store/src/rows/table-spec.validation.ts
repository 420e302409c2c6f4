import { InvalidReadStoreRequestError } from '../read-store.errors';
import { LAST_POSITION_COLUMN, type TableSpec } from '../read-store.port';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** PostgreSQL truncates longer identifiers silently, which would make two names collide. */
const MAX_IDENTIFIER_LENGTH = 63;
const PKEY_SUFFIX = '_pkey';

/** Throws unless `name` is a lower-case SQL identifier short enough for every dialect. */
export function checkIdentifier(name: string, what: string): void {
  if (!IDENTIFIER.test(name) || name.length > MAX_IDENTIFIER_LENGTH) {
    throw new InvalidReadStoreRequestError(
      `${what} "${name}" must be snake_case ([a-z_][a-z0-9_]*) and at most ${MAX_IDENTIFIER_LENGTH} characters`,
    );
  }
}

/** Throws unless a shadow-table suffix can be appended to table names. */
export function checkSuffix(suffix: string): void {
  if (!/^[a-z0-9_]*$/.test(suffix)) {
    throw new InvalidReadStoreRequestError(`Table suffix "${suffix}" may hold only [a-z0-9_]`);
  }
}

/** Validated once per spec object: specs are constants, so the check is cached. */
const checked = new WeakSet<TableSpec>();

/** Throws unless the spec describes a table the store can create and query on both dialects. */
export function checkTableSpec(spec: TableSpec, suffix = ''): void {
  checkSuffix(suffix);
  // The longest derived name is the primary key constraint's.
  checkIdentifier(`${spec.table}${suffix}${PKEY_SUFFIX}`, 'Table name (with suffix and _pkey)');
  if (checked.has(spec)) return;
  const columns = Object.keys(spec.columns);
  for (const column of columns) checkIdentifier(column, `Column of ${spec.table}`);
  if (columns.includes(LAST_POSITION_COLUMN)) {
    throw new InvalidReadStoreRequestError(
      `${spec.table}: ${LAST_POSITION_COLUMN} is added by the store, not declared`,
    );
  }
  if (spec.key.length === 0) throw new InvalidReadStoreRequestError(`${spec.table}: the key has no columns`);
  for (const column of spec.key) {
    const columnSpec = spec.columns[column];
    if (!columnSpec) throw new InvalidReadStoreRequestError(`${spec.table}: key column ${column} is not declared`);
    if (columnSpec.nullable) throw new InvalidReadStoreRequestError(`${spec.table}: key column ${column} is nullable`);
    if (columnSpec.type === 'json')
      throw new InvalidReadStoreRequestError(`${spec.table}: key column ${column} is json`);
  }
  for (const index of spec.indexes ?? []) {
    if (index.length === 0) throw new InvalidReadStoreRequestError(`${spec.table}: an index has no columns`);
    for (const column of index) {
      if (!spec.columns[column] && column !== LAST_POSITION_COLUMN) {
        throw new InvalidReadStoreRequestError(`${spec.table}: index column ${column} is not declared`);
      }
    }
  }
  checked.add(spec);
}

/** The primary key constraint's name, renamed along with its table on a swap. */
export function primaryKeyName(table: string): string {
  return `${table}${PKEY_SUFFIX}`;
}

/**
 * A deterministic index name for `table` (already suffixed). Long names end in a hash of the full
 * name, so that two indexes never collide after PostgreSQL's 63-character cut.
 */
export function indexName(table: string, columns: readonly string[]): string {
  const full = `${table}_${columns.join('_')}_idx`;
  if (full.length <= MAX_IDENTIFIER_LENGTH) return full;
  return `${full.slice(0, MAX_IDENTIFIER_LENGTH - 9)}_${fnv1a(full)}`;
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** `<EventType>.v<version>.schema.json`: the one naming scheme of `event-schemas/`. */
const SCHEMA_FILE = /^([A-Z][A-Za-z0-9]*)\.v([1-9][0-9]*)\.schema\.json$/;
const SCHEMA_ID_BASE = 'https://harbour.example/event-schemas/';
const PERSONAL_DATA = 'x-personal-data';
/** Every event's metadata, one schema for all types (before chaining adds `prevHash` and `hash`). */
const METADATA_SCHEMA_FILE = 'metadata/EventMetadata.v1.schema.json';

/** One way an event's data breaks its schema. */
export interface SchemaViolation {
  /** JSON pointer into the event data (`''` is the data itself). */
  readonly path: string;
  readonly message: string;
}

/**
 * An event the domain produced does not match its schema. Commands are validated before they
 * reach the domain, so this is a bug in the domain (or a schema), never a user error: HTTP 500.
 */
export class EventSchemaViolationError extends Error {
  readonly code: string = 'event-schema-violation';
  constructor(
    readonly eventType: string,
    readonly schemaVersion: number,
    readonly errors: readonly SchemaViolation[],
  ) {
    super(
      `${eventType} v${schemaVersion} breaks its schema: ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`,
    );
    this.name = 'EventSchemaViolationError';
  }
}

/** No schema exists for the event type and version: every stored event must have one. */
export class UnknownEventSchemaError extends EventSchemaViolationError {
  override readonly code = 'unknown-event-schema';
  constructor(eventType: string, schemaVersion: number) {
    super(eventType, schemaVersion, [{ path: '', message: `no schema event-schemas/${eventType}.v${schemaVersion}` }]);
    this.name = 'UnknownEventSchemaError';
  }
}

interface LoadedSchema {
  readonly validate: ValidateFunction;
  /** The same schema with every marked field also accepting what is stored in its place. */
  readonly validateStored: ValidateFunction;
  readonly personalDataPaths: readonly string[];
}

/**
 * What a marked field holds once stored: its ciphertext (`enc:v1:<keyId>:<base64url>`), or what a
 * reader shows after erasure. See `@harbour/privacy`.
 */
const STORED_PERSONAL_DATA = '^(enc:v1:[A-Za-z0-9-]{1,64}:[A-Za-z0-9_-]+|\\[erased\\]|\\[unreadable\\])$';

/**
 * The JSON Schemas of every event type and version, loaded from `event-schemas/` once and
 * compiled once (ajv, draft 2020-12, with formats). The write path validates each new event
 * before appending it; encryption reads which fields hold personal data.
 */
export class EventSchemaRegistry {
  private readonly schemas = new Map<string, LoadedSchema>();
  private readonly metadataSchema: ValidateFunction;

  constructor(directory: string = findSchemaDirectory(__dirname)) {
    // Strict, except that a conditional `then: { required: [...] }` may name a property the
    // surrounding schema defines (strictRequired wants it redefined inside the branch).
    const newAjv = () => {
      const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
      addFormats(ajv);
      // Our annotation: marks what is personal data. Ajv's strict mode refuses unknown keywords.
      ajv.addKeyword({ keyword: PERSONAL_DATA, schemaType: 'boolean' });
      return ajv;
    };
    const ajv = newAjv();
    const storedAjv = newAjv();

    const files = readdirSync(directory)
      .filter((file) => file.endsWith('.schema.json'))
      .sort();
    for (const file of files) {
      const match = SCHEMA_FILE.exec(file);
      if (!match) throw new Error(`event-schemas/${file}: name it <EventType>.v<version>.schema.json`);
      const schema = JSON.parse(readFileSync(join(directory, file), 'utf8')) as Record<string, unknown>;
      if (schema.$id !== `${SCHEMA_ID_BASE}${file}`) {
        throw new Error(`event-schemas/${file}: $id must be ${SCHEMA_ID_BASE}${file}`);
      }
      this.schemas.set(key(match[1], Number(match[2])), {
        validate: ajv.compile(schema),
        validateStored: storedAjv.compile(relaxPersonalData(schema)),
        personalDataPaths: findPersonalData(schema),
      });
    }
    // Metadata is Harbour's own, the same whichever event schemas a registry is built over.
    const metadataFile = [directory, findSchemaDirectory(__dirname)]
      .map((dir) => join(dir, METADATA_SCHEMA_FILE))
      .find((file) => existsSync(file))!;
    this.metadataSchema = ajv.compile(JSON.parse(readFileSync(metadataFile, 'utf8')) as Record<string, unknown>);
  }

  /**
   * Throws `EventSchemaViolationError` (for `(metadata)`) unless `metadata` matches
   * `event-schemas/metadata/EventMetadata.v1.schema.json`: the write path checks every event's
   * metadata before it chains and appends it, so a field no reader knows is never stored.
   */
  validateMetadata(metadata: unknown): void {
    if (!this.metadataSchema(metadata)) {
      throw new EventSchemaViolationError('(metadata)', 1, (this.metadataSchema.errors ?? []).map(toViolation));
    }
  }

  /** Whether a schema exists for this event type and version. */
  has(eventType: string, schemaVersion: number): boolean {
    return this.schemas.has(key(eventType, schemaVersion));
  }

  /** The event types and versions known, in file-name order. */
  list(): { eventType: string; schemaVersion: number }[] {
    return [...this.schemas.keys()].map((entry) => {
      const [eventType, version] = entry.split('@');
      return { eventType, schemaVersion: Number(version) };
    });
  }

  /**
   * Throws `EventSchemaViolationError` unless `data` matches the schema of the event type and
   * version (`UnknownEventSchemaError`, a subclass, when there is no such schema).
   */
  validate(eventType: string, schemaVersion: number, data: unknown): void {
    const { validate } = this.schemaOf(eventType, schemaVersion);
    if (!validate(data)) {
      throw new EventSchemaViolationError(eventType, schemaVersion, (validate.errors ?? []).map(toViolation));
    }
  }

  /**
   * Validates an event as stored: as {@link validate}, except that a field marked as personal data
   * may hold its ciphertext (or `[erased]`) instead of a value of its own shape. For anything that
   * re-checks stored events; the write path validates the plaintext before encrypting it.
   */
  validateStored(eventType: string, schemaVersion: number, data: unknown): void {
    const { validateStored } = this.schemaOf(eventType, schemaVersion);
    if (!validateStored(data)) {
      throw new EventSchemaViolationError(eventType, schemaVersion, (validateStored.errors ?? []).map(toViolation));
    }
  }

  /**
   * JSON pointers of the fields marked `"x-personal-data": true`, sorted. A `*` segment stands for
   * every element of an array (the reason of every dissent is `/dissent/` + `*` + `/reason`); a
   * marked object or array is personal data as a whole, so nothing below it is listed.
   */
  personalDataPaths(eventType: string, schemaVersion: number): string[] {
    return [...this.schemaOf(eventType, schemaVersion).personalDataPaths];
  }

  private schemaOf(eventType: string, schemaVersion: number): LoadedSchema {
    const schema = this.schemas.get(key(eventType, schemaVersion));
    if (!schema) throw new UnknownEventSchemaError(eventType, schemaVersion);
    return schema;
  }
}

function key(eventType: string, schemaVersion: number): string {
  return `${eventType}@${schemaVersion}`;
}

// The repo root holds package.json and event-schemas/; walking up finds it from the sources
// (libs/application/src/event-schemas) and from a build under dist/ alike.
function findSchemaDirectory(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'event-schemas'))) {
      return join(dir, 'event-schemas');
    }
    if (dirname(dir) === dir) throw new Error(`No event-schemas/ directory above ${from}`);
  }
}

function toViolation(error: ErrorObject): SchemaViolation {
  const detail =
    error.keyword === 'additionalProperties'
      ? `: ${String(error.params.additionalProperty)}`
      : error.keyword === 'enum'
        ? `: ${(error.params.allowedValues as unknown[]).join(', ')}`
        : '';
  return { path: error.instancePath, message: `${error.message ?? error.keyword}${detail}` };
}

function findPersonalData(schema: Record<string, unknown>): string[] {
  const paths = new Set<string>();
  const visit = (node: unknown, pointer: string): void => {
    if (!isRecord(node)) return;
    // References would hide marked fields from this walk; the schemas are self-contained.
    if ('$ref' in node || '$dynamicRef' in node) throw new Error(`${pointer || '/'}: $ref is not supported`);
    if (node[PERSONAL_DATA] === true) {
      paths.add(pointer);
      return;
    }
    if (isRecord(node.properties)) {
      for (const [name, child] of Object.entries(node.properties)) visit(child, `${pointer}/${escapePointer(name)}`);
    }
    visit(node.items, `${pointer}/*`);
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      const branches = node[keyword];
      if (Array.isArray(branches)) for (const branch of branches) visit(branch, pointer);
    }
    for (const keyword of ['if', 'then', 'else'] as const) visit(node[keyword], pointer);
  };
  visit(schema, '');
  return [...paths].sort();
}

// A copy of the schema in which each marked node also accepts a stored (encrypted) value.
function relaxPersonalData(schema: Record<string, unknown>): Record<string, unknown> {
  const relax = (node: unknown): unknown => {
    if (!isRecord(node)) return node;
    if (node[PERSONAL_DATA] === true) {
      return { anyOf: [node, { type: 'string', pattern: STORED_PERSONAL_DATA }] };
    }
    const copy: Record<string, unknown> = { ...node };
    if (isRecord(node.properties)) {
      copy.properties = Object.fromEntries(
        Object.entries(node.properties).map(([name, child]) => [name, relax(child)]),
      );
    }
    if (node.items !== undefined) copy.items = relax(node.items);
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      const branches = node[keyword];
      if (Array.isArray(branches)) copy[keyword] = branches.map(relax);
    }
    for (const keyword of ['if', 'then', 'else'] as const)
      if (node[keyword] !== undefined) copy[keyword] = relax(node[keyword]);
    return copy;
  };
  return relax(schema) as Record<string, unknown>;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

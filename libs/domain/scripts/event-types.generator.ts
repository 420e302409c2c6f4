import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { format, resolveConfig } from 'prettier';

/** Where the event schemas live (repo root `event-schemas/`). */
export const SCHEMA_DIR = join(__dirname, '../../../event-schemas');

/** The generated file the domain imports its event data types from. */
export const OUTPUT_FILE = join(__dirname, '../src/generated/event-data.ts');

/** `<EventType>.v<version>.schema.json`, the one naming scheme the schema registry also reads. */
const SCHEMA_FILE = /^([A-Z][A-Za-z0-9]*)\.v([1-9][0-9]*)\.schema\.json$/;

// Fixed, so regenerating never changes the file unless a schema changed.
const BANNER = `/**
 * Event data types, generated from event-schemas/*.schema.json by
 * libs/domain/scripts/generate-event-types.ts. Do not edit by hand: change or add a schema and run
 * \`npm run schemas:generate\`. A spec fails when this file and the schemas disagree.
 *
 * One type per event type and schema version, named <EventType>DataV<version>.
 */`;

/**
 * Compiles every event schema into TypeScript and returns the file's text, formatted with the
 * repository's Prettier settings. Deterministic: schemas in file-name order, no timestamps.
 */
export async function generateEventTypes(schemaDir: string = SCHEMA_DIR): Promise<string> {
  const files = readdirSync(schemaDir)
    .filter((file) => SCHEMA_FILE.test(file))
    .sort();
  const declarations: string[] = [];
  for (const file of files) {
    const [, eventType, version] = SCHEMA_FILE.exec(file) ?? [];
    const schema = JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) as JSONSchema;
    const typeName = `${eventType}DataV${version}`;
    declarations.push(
      await compile(schema, typeName, {
        bannerComment: '',
        format: false,
        cwd: schemaDir,
        additionalProperties: false,
        strictIndexSignatures: true,
        // Bounded arrays would become unions of tuples; the bounds are checked by the schema.
        ignoreMinAndMaxItems: true,
        unknownAny: true,
        // Name the root type after the file, not the human-readable title.
        customName: (subschema) => (subschema.$id === schema.$id ? typeName : undefined),
      }),
    );
  }
  const prettierOptions = (await resolveConfig(OUTPUT_FILE)) ?? {};
  return format(`${BANNER}\n\n${declarations.join('\n')}`, { ...prettierOptions, parser: 'typescript' });
}

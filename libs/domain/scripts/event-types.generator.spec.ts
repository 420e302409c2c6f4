import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Not imported from the generator: loading Prettier inside Jest fails (see below).
const REPO_ROOT = join(__dirname, '../../..');
const SCHEMA_DIR = join(REPO_ROOT, 'event-schemas');
const OUTPUT_FILE = join(REPO_ROOT, 'libs/domain/src/generated/event-data.ts');

// Prettier 3 (used by the generator) loads itself with a dynamic import(), which Jest's module
// sandbox refuses without --experimental-vm-modules, so the generator runs in a child process:
// the same entry point as `npm run schemas:generate`, printing instead of writing.
function regenerate(): string {
  return execFileSync(
    process.execPath,
    ['-r', '@swc-node/register', 'libs/domain/scripts/generate-event-types.ts', '--stdout'],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
}

describe('generated event data types', () => {
  it('match the event schemas (run `npm run schemas:generate` after changing a schema)', () => {
    expect(readFileSync(OUTPUT_FILE, 'utf8')).toBe(regenerate());
  });

  it('declare one type per schema file, named <EventType>DataV<version>', () => {
    const generated = readFileSync(OUTPUT_FILE, 'utf8');
    const expected = readdirSync(SCHEMA_DIR)
      .filter((file) => file.endsWith('.schema.json'))
      .map((file) => file.replace(/^(\w+)\.v(\d+)\.schema\.json$/, '$1DataV$2'))
      .sort();
    const declared = [...generated.matchAll(/^export (?:interface|type) (\w+)/gm)].map((match) => match[1]).sort();
    expect(declared).toEqual(expected);
  });
});

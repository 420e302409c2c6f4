import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

// Runs the project's own ESLint configuration, as `npm run lint` does, over files made for the
// purpose: if the import rules were switched off or lost their resolver, these would lint clean.
const ROOT = join(__dirname, '../../..');
const ESLINT = join(ROOT, 'node_modules/.bin/eslint');

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
}

async function lint(files: readonly string[]): Promise<Map<string, LintMessage[]>> {
  const run = promisify(execFile);
  const args = ['--format', 'json', '--no-warn-ignored', ...files];
  const output = await run(ESLINT, args, { cwd: ROOT }).then(
    ({ stdout }) => stdout,
    // ESLint exits 1 when it found problems; its report is still on stdout.
    (error: { code?: number; stdout?: string }) => {
      if (error.code !== 1 || error.stdout === undefined) throw error;
      return error.stdout;
    },
  );
  const results = JSON.parse(output) as { filePath: string; messages: LintMessage[] }[];
  return new Map(results.map((result) => [relative(ROOT, result.filePath), result.messages]));
}

describe('the import rules of npm run lint', () => {
  const dir = join(ROOT, 'libs/shared/src', `lint-fixture-${process.pid}`);

  beforeAll(() => mkdirSync(dir, { recursive: true }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuse an import cycle, naming the rule, and pass the same files without it', async () => {
    const a = join(dir, 'cycle-a.ts');
    const b = join(dir, 'cycle-b.ts');
    const c = join(dir, 'no-cycle-c.ts');
    writeFileSync(a, "import { b } from './cycle-b';\n\nexport const a = (): number => b() + 1;\n");
    writeFileSync(b, "import { a } from './cycle-a';\n\nexport const b = (): number => (a.length > 0 ? 1 : 0);\n");
    writeFileSync(c, "import { b } from './cycle-b';\n\nexport const c = (): number => b();\n");

    const found = await lint([a, b, c]);

    const rulesIn = (file: string) => (found.get(relative(ROOT, file)) ?? []).map((message) => message.ruleId);
    expect(rulesIn(a)).toEqual(['import-x/no-cycle']);
    expect(rulesIn(b)).toEqual(['import-x/no-cycle']);
    expect(rulesIn(c)).toEqual([]);
  }, 60_000);

  it("refuse a lib's import of a lib in its own or a higher layer, even a type-only one", async () => {
    const upward = join(dir, 'upward.ts');
    writeFileSync(upward, "import type { EventStore } from '@harbour/event-store';\n\nexport type S = EventStore;\n");

    const found = await lint([upward]);

    expect(found.get(relative(ROOT, upward))).toEqual([
      expect.objectContaining({
        ruleId: 'no-restricted-imports',
        message: expect.stringContaining('libs/shared is in layer 0'),
      }),
    ]);
  }, 60_000);
});

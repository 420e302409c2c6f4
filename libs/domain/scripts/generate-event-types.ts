// Regenerates libs/domain/src/generated/event-data.ts from event-schemas/ (`npm run schemas:generate`).
// With --stdout it prints the text instead, which the drift spec compares with the committed file.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { generateEventTypes, OUTPUT_FILE } from './event-types.generator';

async function main(): Promise<void> {
  const text = await generateEventTypes();
  if (process.argv.includes('--stdout')) {
    process.stdout.write(text);
    return;
  }
  writeFileSync(OUTPUT_FILE, text);
  process.stdout.write(`wrote ${relative(process.cwd(), OUTPUT_FILE)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

import { accessSync, constants } from 'node:fs';

/** The browser the report is rendered in: Debian's Chromium, or `CHROMIUM_PATH`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function missing(): string | undefined {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

/**
 * Registers a test that needs a browser when Chromium is there. Without it the test is reported
 * as not run (a warning in the output), except under `CI=true`, where a missing browser fails the
 * run: the convention of `describeWithPostgres`, so `npm test` passes on a machine with Node and
 * npm alone and CI still proves the report renders.
 */
export function itWithChromium(title: string, body: () => Promise<void>, timeoutMs: number): void {
  const problem = missing();
  if (problem === undefined) {
    it(title, body, timeoutMs);
  } else if (process.env.CI === 'true') {
    it(`${title} (CI=true: needs Chromium)`, () => {
      throw new Error(`No Chromium at ${CHROMIUM_PATH} (${problem}); CI=true needs it: apt-get install chromium`);
    });
  } else {
    console.warn(
      `NOT RUN: "${title}": no Chromium at ${CHROMIUM_PATH} (${problem}). Install it (apt-get install ` +
        'chromium) or set CHROMIUM_PATH to run it; with CI=true a missing browser fails the run.',
    );
  }
}

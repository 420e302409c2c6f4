import { runCli } from '../../src/cli.program';
import { COMMANDS } from '../../src/main';

/** Runs `harbour` in this process, as main.ts does, and keeps what it wrote and printed. */
export async function harbour(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest
    .spyOn(console, 'log')
    .mockImplementation((...line: unknown[]) => void out.push(`${line.join(' ')}\n`));
  try {
    const code = await runCli(COMMANDS, args, env, {
      writeOut: (text) => out.push(text),
      writeErr: (text) => err.push(text),
    });
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    log.mockRestore();
  }
}

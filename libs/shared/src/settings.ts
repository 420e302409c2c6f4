/** Thrown at boot for a bad setting; the message names the setting and what it accepts. */
export class ConfigurationError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'ConfigurationError';
  }
}

/** One bad setting: its name and the whole line that says what is wrong (`SETTING: ...`). */
export interface SettingProblem {
  readonly setting: string;
  readonly message: string;
}

/**
 * Several bad settings found in one reading, in the order they were read. It is a
 * `ConfigurationError` for the first of them, so callers that stop on one stop on all; its
 * message lists every one, a line each.
 */
export class ConfigurationErrors extends ConfigurationError {
  constructor(readonly problems: readonly SettingProblem[]) {
    super(problems[0].setting, '');
    this.message = `${problems.length} settings are wrong:\n${problems.map((problem) => `  ${problem.message}`).join('\n')}`;
  }
}

/** The problems a configuration error stands for: its own, or each one it collected. */
function problemsOf(error: unknown): readonly SettingProblem[] | undefined {
  if (!(error instanceof ConfigurationError)) return undefined;
  return error instanceof ConfigurationErrors ? error.problems : [{ setting: error.setting, message: error.message }];
}

/**
 * Reads every part of a configuration, even after one has failed, so that start-up names every
 * bad setting at once instead of one per attempt. Returns the parts' values when all are good;
 * otherwise throws the one `ConfigurationError` there was, or a {@link ConfigurationErrors} with
 * each bad setting once (a setting that several parts read, like `HARBOUR_DATA_DIR`, is named by
 * the first that refused it). Anything else thrown is a bug and goes straight through.
 */
export function collectSettings<const T extends Record<string, () => unknown>>(
  parts: T,
): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const values: Record<string, unknown> = {};
  const problems: SettingProblem[] = [];
  let first: unknown;
  for (const [key, read] of Object.entries(parts)) {
    try {
      values[key] = read();
    } catch (error) {
      const found = problemsOf(error);
      if (found === undefined) throw error;
      first ??= error;
      for (const problem of found) {
        if (!problems.some((known) => known.setting === problem.setting)) problems.push(problem);
      }
    }
  }
  if (problems.length === 1) throw first;
  if (problems.length > 1) throw new ConfigurationErrors(problems);
  return values as { readonly [K in keyof T]: ReturnType<T[K]> };
}

/**
 * A whole-number setting, parsed strictly: decimal digits only, within `min`..`max`. `Number()`
 * would take `""` (0: a random port), `0x0BB8`, `3e3`, `3000.0` and ` 3000 `; none of those is
 * what someone meant to type, so each is refused naming the setting.
 */
export function wholeNumberSetting(
  env: Readonly<Record<string, string | undefined>>,
  setting: string,
  range: { readonly fallback: number; readonly min: number; readonly max: number; readonly what?: string },
): number {
  const raw = env[setting];
  if (raw === undefined) return range.fallback;
  const value = /^[0-9]{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= range.min && value <= range.max)) {
    throw new ConfigurationError(
      setting,
      `must be ${range.what ?? 'a whole number'} from ${range.min} to ${range.max}, not "${raw}"`,
    );
  }
  return value;
}

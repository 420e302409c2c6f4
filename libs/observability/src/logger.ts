import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { ConfigurationError } from '@harbour/shared';

/** pino's levels, most severe first; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** Where log lines go: stdout in production, a buffer in tests. */
export interface LogSink {
  write(line: string): unknown;
}

export type { Logger } from 'pino';

/**
 * How log lines are written: `json` (one object per line, for collectors), `pretty` (aligned text
 * for a person), or `auto`: pretty when standard output is a terminal, JSON otherwise.
 */
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * `HARBOUR_LOG_LEVEL` (default `info`): the least severe level written. Read by every app's
 * configuration, once, at boot.
 */
export function logLevelFrom(env: Readonly<Record<string, string | undefined>>): LogLevelName {
  const level = env.HARBOUR_LOG_LEVEL ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigurationError('HARBOUR_LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, not "${level}"`);
  }
  return level as LogLevelName;
}

/** `HARBOUR_LOG_FORMAT` (default `auto`): see {@link LogFormat}. */
export function logFormatFrom(env: Readonly<Record<string, string | undefined>>): LogFormat {
  const format = env.HARBOUR_LOG_FORMAT ?? 'auto';
  if (!(LOG_FORMATS as readonly string[]).includes(format)) {
    throw new ConfigurationError('HARBOUR_LOG_FORMAT', `must be one of ${LOG_FORMATS.join(', ')}, not "${format}"`);
  }
  return format as LogFormat;
}

/**
 * Harbour's structured logs: one JSON object per line with `level` (a name, not pino's number),
 * `time` (ISO-8601), `pid`, `service` and `msg`, then the fields. Callers pass identifiers and
 * counts only: events, rows and request bodies hold personal data, and logs leave the system.
 *
 * Written synchronously: a process that exits right after logging (a bad setting, a SIGTERM) must
 * not lose its last lines, and Harbour's log volume is far below what that costs.
 */
export function createLogger(options: {
  service: string;
  level: LogLevelName;
  sink?: LogSink;
  format?: LogFormat;
}): Logger {
  const stdout = options.sink === undefined;
  const sink = options.sink ?? pino.destination({ dest: 1, sync: true });
  const format = options.format ?? (stdout ? 'auto' : 'json');
  const pretty = format === 'pretty' || (format === 'auto' && stdout && process.stdout.isTTY === true);
  // Colours only for a terminal: `pretty` asked for in a pipe or a file stays plain text.
  const colours = pretty && stdout && process.stdout.isTTY === true;
  return pino(
    {
      level: options.level,
      base: { pid: process.pid, service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pretty ? { write: (line: string) => sink.write(prettyLogLine(line, colours)) } : sink,
  );
}

const LEVEL_COLOURS: Readonly<Record<string, string>> = {
  fatal: '\x1b[41;97m',
  error: '\x1b[31m',
  warn: '\x1b[33m',
  info: '\x1b[32m',
  debug: '\x1b[90m',
  trace: '\x1b[90m',
};
/** Fields every line has, shown in the line's own layout instead of as `name=value`. */
const LAYOUT_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'service', 'context', 'msg', 'stack']);

/**
 * One JSON log line as a person reads it: `HH:MM:SS.mmm LEVEL service [context] message
 * name=value...`, a stack (when there is one) indented below. Times stay UTC, as in the JSON.
 */
export function prettyLogLine(json: string, colours = false): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const level = String(entry.level ?? '');
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const paint = (code: string | undefined, text: string) => (colours && code ? `${code}${text}\x1b[0m` : text);
  const fields = Object.entries(entry)
    .filter(([name, value]) => !LAYOUT_FIELDS.has(name) && value !== undefined)
    .map(([name, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return `${name}=${/[\s"=]/.test(text) || text === '' ? JSON.stringify(text) : text}`;
    });
  const parts = [
    paint('\x1b[90m', time),
    paint(LEVEL_COLOURS[level], level.toUpperCase().padEnd(5)),
    `${entry.service ?? ''}${entry.context ? ` [${String(entry.context)}]` : ''}`,
    String(entry.msg ?? ''),
    ...(fields.length > 0 ? [paint('\x1b[90m', fields.join(' '))] : []),
  ];
  const stack = typeof entry.stack === 'string' ? `\n${entry.stack.replace(/^/gm, '    ')}` : '';
  return `${parts.join(' ')}${stack}\n`;
}

/**
 * Nest's own lines (module wiring, routes mapped, errors the framework catches) through the same
 * pino logger: Nest passes a message and a context name, and for errors a stack before it.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write(nestInfoLevel(params[params.length - 1]), message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Exclude<LogLevelName, 'silent'>, message: unknown, params: unknown[]): void {
    const context = typeof params[params.length - 1] === 'string' ? (params[params.length - 1] as string) : undefined;
    // `{ msg, ...fields }`: structured fields of Harbour's own (ids, counts; never personal data).
    if (isStructured(message)) {
      const { msg, ...fields } = message;
      this.logger[level]({ ...(context ? { context } : {}), ...fields }, msg);
      return;
    }
    const stack = params.length > 1 && typeof params[0] === 'string' ? params[0] : undefined;
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : String(message);
    this.logger[level]({ ...(context ? { context } : {}), ...(stack ? { stack } : {}) }, text);
  }
}

/**
 * Nest's own start-up narration (each module loaded, each route mapped: some 50 lines) says
 * nothing an operator acts on; it is kept for debugging, below the default level.
 */
const NEST_START_UP_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/** The level for one of Nest's `log` lines: debug for its start-up narration, info for the rest. */
export function nestInfoLevel(context: unknown): 'info' | 'debug' {
  return typeof context === 'string' && NEST_START_UP_CONTEXTS.has(context) ? 'debug' : 'info';
}

function isStructured(message: unknown): message is { readonly msg: string; readonly [field: string]: unknown } {
  return (
    typeof message === 'object' &&
    message !== null &&
    !(message instanceof Error) &&
    typeof (message as { msg?: unknown }).msg === 'string'
  );
}

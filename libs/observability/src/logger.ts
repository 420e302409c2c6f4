import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { ConfigurationError } from '@harbour/event-store';

/** pino's levels, most severe first; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** Where log lines go: stdout in production, a buffer in tests. */
export interface LogSink {
  write(line: string): unknown;
}

export type { Logger } from 'pino';

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

/**
 * Harbour's structured logs: one JSON object per line with `level` (a name, not pino's number),
 * `time` (ISO-8601), `pid`, `service` and `msg`, then the fields. Callers pass identifiers and
 * counts only: events, rows and request bodies hold personal data, and logs leave the system.
 *
 * Written synchronously: a process that exits right after logging (a bad setting, a SIGTERM) must
 * not lose its last lines, and Harbour's log volume is far below what that costs.
 */
export function createLogger(options: { service: string; level: LogLevelName; sink?: LogSink }): Logger {
  return pino(
    {
      level: options.level,
      base: { pid: process.pid, service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.sink ?? pino.destination({ dest: 1, sync: true }),
  );
}

/**
 * Nest's own lines (module wiring, routes mapped, errors the framework catches) through the same
 * pino logger: Nest passes a message and a context name, and for errors a stack before it.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
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

function isStructured(message: unknown): message is { readonly msg: string; readonly [field: string]: unknown } {
  return (
    typeof message === 'object' &&
    message !== null &&
    !(message instanceof Error) &&
    typeof (message as { msg?: unknown }).msg === 'string'
  );
}

import type { LoggerService } from '@nestjs/common';
import {
  createLogger,
  nestInfoLevel,
  type LogFormat,
  type LogLevelName,
  type LogSink,
  type Logger,
} from '@harbour/observability';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;
export type { LogSink } from '@harbour/observability';

/**
 * Structured logs, one JSON object per line (pino): `level`, `time`, `pid`, `service`, `msg`, then
 * fields. Callers pass identifiers and counts only: events and rows hold personal data, and logs
 * leave the system.
 *
 * It is Nest's logger too, so the framework's own lines are JSON: Nest calls each level with a
 * message and a context name (and `error` with a stack first), where Harbour code passes fields.
 */
export class JsonLinesLogger implements LoggerService {
  private readonly pino: Logger;

  /** `sink` undefined: standard output, as `format` says (by default pretty on a terminal, else JSON). */
  constructor(
    sink?: LogSink,
    base: LogFields = {},
    options: { level?: LogLevelName; logger?: Logger; format?: LogFormat } = {},
  ) {
    const { service = 'projector', ...rest } = base;
    this.pino = (
      options.logger ??
      createLogger({ service: String(service), level: options.level ?? 'info', sink, format: options.format })
    ).child(rest);
  }

  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): JsonLinesLogger {
    return new JsonLinesLogger(undefined, {}, { logger: this.pino.child(fields) });
  }

  log(message: unknown, fields?: LogFields | string): void {
    // Nest calls log(message, context): its start-up narration goes to debug.
    this.write(nestInfoLevel(fields), message, fields);
  }

  info(message: unknown, fields?: LogFields | string): void {
    this.write('info', message, fields);
  }

  warn(message: unknown, fields?: LogFields | string): void {
    this.write('warn', message, fields);
  }

  error(message: unknown, ...rest: (LogFields | string | undefined)[]): void {
    // Nest: error(message, stack, context). The context is the last argument.
    this.write('error', message, rest[rest.length - 1]);
  }

  debug(message: unknown, fields?: LogFields | string): void {
    this.write('debug', message, fields);
  }

  verbose(message: unknown, fields?: LogFields | string): void {
    this.write('debug', message, fields);
  }

  /** Whether a line at `level` would be written (to skip building fields nobody reads). */
  enabled(level: LogLevel): boolean {
    return this.pino.isLevelEnabled(level);
  }

  write(level: LogLevel, message: unknown, fields: LogFields | string | undefined): void {
    const extra = typeof fields === 'string' ? { context: fields } : (fields ?? {});
    this.pino[level](extra, String(message));
  }
}

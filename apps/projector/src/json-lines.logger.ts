import type { LoggerService } from '@nestjs/common';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Where log lines go: stdout in production, a buffer in tests. */
export interface LogSink {
  write(line: string): unknown;
}

/**
 * Structured logs, one JSON object per line: `time`, `level`, `msg`, `pid`, then fields. Callers
 * pass identifiers and counts only: events and rows hold personal data, and logs leave the system.
 *
 * It is Nest's logger too, so the framework's own lines are JSON: Nest calls each level with a
 * message and a context name (and `error` with a stack first), where Harbour code passes fields.
 */
export class JsonLinesLogger implements LoggerService {
  constructor(
    private readonly sink: LogSink = process.stdout,
    private readonly base: LogFields = {},
  ) {}

  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): JsonLinesLogger {
    return new JsonLinesLogger(this.sink, { ...this.base, ...fields });
  }

  log(message: unknown, fields?: LogFields | string): void {
    this.write('info', message, fields);
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

  write(level: LogLevel, message: unknown, fields: LogFields | string | undefined): void {
    const extra = typeof fields === 'string' ? { context: fields } : (fields ?? {});
    const line = {
      time: new Date().toISOString(),
      level,
      msg: String(message),
      pid: process.pid,
      ...this.base,
      ...extra,
    };
    this.sink.write(`${JSON.stringify(line)}\n`);
  }
}

import { createLogger, logFormatFrom, NestPinoLogger, prettyLogLine } from './logger';

describe('NestPinoLogger', () => {
  function sut(level: 'info' | 'debug' = 'info') {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      service: 'test',
      level,
      sink: { write: (line) => lines.push(JSON.parse(line)) },
    });
    return { lines, nest: new NestPinoLogger(logger) };
  }

  it('writes Nest lines with their context', () => {
    const { lines, nest } = sut();
    nest.log('Verifying tokens with the development secret', 'SecurityModule');
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'test',
      msg: 'Verifying tokens with the development secret',
      context: 'SecurityModule',
    });
  });

  it("keeps Nest's start-up narration (modules loaded, routes mapped) at debug", () => {
    const info = sut('info');
    const debug = sut('debug');
    for (const { nest } of [info, debug]) {
      nest.log('Mapped {/cases, POST} route', 'RouterExplorer');
      nest.log('CasesController {/cases}:', 'RoutesResolver');
      nest.log('AppModule dependencies initialized', 'InstanceLoader');
      nest.log('Nest application successfully started', 'NestApplication');
    }
    expect(info.lines).toEqual([]);
    expect(debug.lines.map((line) => [line.level, line.context])).toEqual([
      ['debug', 'RouterExplorer'],
      ['debug', 'RoutesResolver'],
      ['debug', 'InstanceLoader'],
      ['debug', 'NestApplication'],
    ]);
  });

  it('keeps the fields of a structured message as fields, not text', () => {
    const { lines, nest } = sut();
    nest.log({ msg: 'deadline recorded', caseId: 'c-1', revision: 3 }, 'Deadlines');
    nest.error({ msg: 'deadline poll failed', error: 'SqliteError' }, 'Deadlines');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'deadline recorded',
        caseId: 'c-1',
        revision: 3,
        context: 'Deadlines',
      }),
      expect.objectContaining({
        level: 'error',
        msg: 'deadline poll failed',
        error: 'SqliteError',
        context: 'Deadlines',
      }),
    ]);
  });
});

describe('prettyLogLine', () => {
  it('lays a JSON line out for a person: time, level, service, context, message, then the fields', () => {
    const line = JSON.stringify({
      level: 'info',
      time: '2026-12-01T10:32:01.123Z',
      pid: 42,
      service: 'api',
      host: '127.0.0.1',
      port: 3000,
      msg: 'API listening on http://127.0.0.1:3000; OpenAPI at /docs',
    });
    expect(prettyLogLine(`${line}\n`)).toBe(
      '10:32:01.123 INFO  api API listening on http://127.0.0.1:3000; OpenAPI at /docs host=127.0.0.1 port=3000\n',
    );
  });

  it('quotes values with spaces, shows the context and indents a stack below', () => {
    const line = JSON.stringify({
      level: 'error',
      time: '2026-12-01T10:32:01.123Z',
      service: 'projector',
      context: 'ProjectionWorker',
      msg: 'batch failed',
      error: 'disk I/O error',
      stack: 'Error: disk I/O error\n    at commit',
    });
    expect(prettyLogLine(line)).toBe(
      '10:32:01.123 ERROR projector [ProjectionWorker] batch failed error="disk I/O error"\n' +
        '    Error: disk I/O error\n        at commit\n',
    );
  });

  it('colours the level only when asked (a terminal)', () => {
    const line = JSON.stringify({ level: 'warn', time: '2026-12-01T10:32:01.123Z', service: 'api', msg: 'm' });
    expect(prettyLogLine(line, true)).toContain('\x1b[33mWARN \x1b[0m');
    expect(prettyLogLine(line, false)).not.toContain('\x1b[');
  });

  it('passes a line that is not JSON through unchanged', () => {
    expect(prettyLogLine('not json\n')).toBe('not json\n');
  });

  it('is what createLogger writes with format pretty; JSON stays the default for a sink', () => {
    const pretty: string[] = [];
    const json: string[] = [];
    createLogger({ service: 'api', level: 'info', format: 'pretty', sink: { write: (l) => pretty.push(l) } }).info(
      { caseId: 'c-1' },
      'case raised',
    );
    createLogger({ service: 'api', level: 'info', sink: { write: (l) => json.push(l) } }).info('case raised');
    expect(pretty).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}api case raised caseId=c-1\n$/)]);
    expect(JSON.parse(json[0])).toMatchObject({ level: 'info', service: 'api', msg: 'case raised' });
  });
});

describe('logFormatFrom', () => {
  it('is auto unless set to json or pretty', () => {
    expect(logFormatFrom({})).toBe('auto');
    expect(logFormatFrom({ HARBOUR_LOG_FORMAT: 'json' })).toBe('json');
    expect(() => logFormatFrom({ HARBOUR_LOG_FORMAT: 'text' })).toThrow(/^HARBOUR_LOG_FORMAT: must be one of/);
  });
});

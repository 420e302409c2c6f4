import { createLogger, NestPinoLogger } from './logger';

describe('NestPinoLogger', () => {
  function sut() {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      service: 'test',
      level: 'info',
      sink: { write: (line) => lines.push(JSON.parse(line)) },
    });
    return { lines, nest: new NestPinoLogger(logger) };
  }

  it('writes Nest lines with their context', () => {
    const { lines, nest } = sut();
    nest.log('Mapped {/cases, POST} route', 'RouterExplorer');
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'test',
      msg: 'Mapped {/cases, POST} route',
      context: 'RouterExplorer',
    });
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

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SqliteEventStore } from '@harbour/event-store';
import { tempDir } from '@harbour/testing';
import { counterProjection, eventually } from '../../../libs/projections/test/support/counter.projection';
import { projectorConfigFrom } from '../src/projector.config';
import { startProjector } from '../src/projector';

const TOKEN = 'projector-metrics-token-0123456789abcdef';

describe('projector operations: correlation ids in the logs, metrics and health over HTTP', () => {
  it('logs each event it projects with the correlation id of the request that wrote it', async () => {
    const dir = tempDir();
    const projection = counterProjection('traced');
    const logged: string[] = [];
    const config = projectorConfigFrom({
      HARBOUR_DATA_DIR: dir.path,
      HARBOUR_SQLITE_POLL_MS: '10',
      HARBOUR_PROJECTOR_METRICS_PORT: '0',
      HARBOUR_METRICS_TOKEN: TOKEN,
    });
    const eventStore = new SqliteEventStore({ filename: join(dir.path, 'events.db') });
    const projector = await startProjector({
      config,
      projections: [projection],
      logSink: { write: (l) => logged.push(l) },
    });
    try {
      for (const correlationId of ['trace-a', 'trace-b', 'trace-c']) {
        await eventStore.appendToStream(
          'counter-1',
          [
            {
              id: randomUUID(),
              type: 'Counted',
              data: { at: '2015-04-01T10:00:00+01:00', tag: 'personal-detail' },
              metadata: { correlationId },
            },
          ],
          { expectedRevision: 'any' },
        );
      }
      const lines = () =>
        logged
          .join('')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>);
      await eventually(async () => lines().filter((l) => l.msg === 'event projected').length === 3, 'all projected');
      expect(lines().filter((l) => l.msg === 'event projected')).toEqual(
        ['trace-a', 'trace-b', 'trace-c'].map((correlationId) =>
          expect.objectContaining({
            level: 'info',
            service: 'projector',
            projection: 'traced',
            eventType: 'Counted',
            stream: 'counter-1',
            correlationId,
          }),
        ),
      );
      expect(logged.join('')).not.toContain('personal-detail');

      const url = projector.httpUrl!;
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
      expect(metrics).toMatch(/harbour_projection_events_total\{[^}]*projection="traced"[^}]*\} 3/);
      expect(metrics).toMatch(/harbour_projection_lag_events\{[^}]*projection="traced"[^}]*\} 0/);
      expect(metrics).toMatch(/harbour_projection_parked_events\{[^}]*projection="traced"[^}]*\} 0/);
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      const ready = await fetch(`${url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', projections: { traced: 'running' } });
    } finally {
      await projector.stop();
      await eventStore.close();
      dir.remove();
    }
  });

  it('serves no HTTP unless HARBOUR_PROJECTOR_METRICS_PORT is set', async () => {
    const dir = tempDir();
    const config = projectorConfigFrom({ HARBOUR_DATA_DIR: dir.path });
    const projector = await startProjector({
      config,
      projections: [counterProjection('quiet')],
      logSink: { write: () => undefined },
    });
    try {
      expect(config.http).toBeUndefined();
      expect(projector.httpUrl).toBeUndefined();
    } finally {
      await projector.stop();
      dir.remove();
    }
  });
});

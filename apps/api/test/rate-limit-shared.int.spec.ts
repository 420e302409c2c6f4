import { randomUUID } from 'node:crypto';
import { startApi, type ApiHarness } from './support/api-harness';
import { referral } from './support/pilot-path';
import { REDIS_URL, describeWithRedis } from './support/redis-test';

/** Two API replicas behind one load balancer: a client gets the command limit once, not once per replica. */
describeWithRedis('the command rate limit shared by replicas through Redis', () => {
  let replicas: ApiHarness[] = [];

  afterEach(async () => {
    for (const replica of replicas) await replica.close();
    replicas = [];
  });

  const start = async (env: Record<string, string>) => {
    replicas = [await startApi({ env }), await startApi({ env })];
    const lead = await replicas[0].token('lead');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await replicas[i % 2].request('POST', '/cases', { token: lead, body: referral() });
      statuses.push(response.status);
    }
    return statuses;
  };

  it('refuses the fourth of three allowed commands, whichever replica each reached', async () => {
    // A key prefix of its own, so parallel runs on one Redis do not count each other's commands.
    const url = `${REDIS_URL}?keyPrefix=harbour-test-${randomUUID()}:`;
    expect(await start({ HARBOUR_RATE_LIMIT_MAX: '3', HARBOUR_RATE_LIMIT_REDIS_URL: url })).toEqual([
      201, 201, 201, 429,
    ]);
  });

  it('counts per replica without Redis: the client gets the limit twice', async () => {
    expect(await start({ HARBOUR_RATE_LIMIT_MAX: '3' })).toEqual([201, 201, 201, 201]);
  });
});

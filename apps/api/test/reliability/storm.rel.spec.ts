import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { collect } from '@harbour/testing';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import { startApi, type ApiHarness, type ApiResponse } from '../support/api-harness';
import { assessment, referral } from '../support/pilot-path';
import { tally } from './support/ledger';

/**
 * Randomized storms of concurrent commands over a few shared cases, through real HTTP: whatever
 * the interleaving, no acknowledged command is lost, no stream has a gap, and every refusal is a
 * 409, 412 or 422 with a problem body, never a 500.
 */

const CASES = 4;
const REFUSALS = [409, 412, 422];

type Who = 'lead' | 'caseManager';
interface Op {
  readonly case: number;
  readonly kind: 'evidence' | 'support' | 'information' | 'assess' | 'suspend' | 'resume' | 'withdraw';
  /** If-Match: none, the revision last seen, or one long gone. */
  readonly ifMatch: 'none' | 'seen' | 'stale';
  /** Reuse the key of an earlier op (a retry), or send none. */
  readonly key: 'fresh' | 'retry' | 'none';
  readonly variant: number;
}

const opArbitrary: fc.Arbitrary<Op> = fc.record({
  case: fc.integer({ min: 0, max: CASES - 1 }),
  kind: fc.constantFrom('evidence', 'support', 'information', 'assess', 'suspend', 'resume', 'withdraw'),
  ifMatch: fc.constantFrom('none', 'seen', 'stale'),
  key: fc.constantFrom('fresh', 'fresh', 'retry', 'none'),
  variant: fc.nat(1000),
});

function request(op: Op): { who: Who; path: string; body: unknown } {
  switch (op.kind) {
    case 'evidence':
      return { who: 'caseManager', path: 'evidence', body: { kind: 'other', description: `Item ${op.variant}` } };
    case 'support':
      return { who: 'lead', path: 'immediate-support', body: { kinds: ['accommodation'], provider: 'Provider' } };
    case 'information':
      return {
        who: 'caseManager',
        path: 'information-requests',
        body: { requestedFrom: 'Dorset Police', details: `Request ${op.variant}` },
      };
    case 'assess':
      return { who: 'lead', path: 'lead-assessment', body: assessment(op.variant % 2 === 0 ? 'positive' : 'negative') };
    case 'suspend':
      return { who: 'caseManager', path: 'suspension', body: { reason: 'subject-missing' } };
    case 'resume':
      return { who: 'caseManager', path: 'resumption', body: {} };
    case 'withdraw':
      return { who: 'lead', path: 'withdrawal', body: { basis: 'written-request' } };
  }
}

describe('concurrency storms over shared cases', () => {
  let api: ApiHarness;
  let tokens: Record<Who, string>;
  let store: EventStore;

  beforeAll(async () => {
    api = await startApi();
    api.clock.set('2015-09-10T09:00:00.000Z');
    tokens = { lead: await api.token('lead'), caseManager: await api.token('case-manager') };
    store = api.app.get(EVENT_STORE);
  });
  afterAll(() => api.close());

  it('loses no acknowledged command, leaves no gap, and refuses only with 409, 412 or 422', async () => {
    let storms = 0;
    let acknowledged = 0;
    let lost = 0;
    let serverErrors = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(opArbitrary, { minLength: 5, maxLength: 25 }), { minLength: 2, maxLength: 4 }),
        async (waves) => {
          storms += 1;
          const caseIds: string[] = [];
          for (let i = 0; i < CASES; i++) {
            const raised = await api.request('POST', '/cases', { token: tokens.lead, body: referral() });
            expect(raised.status).toBe(201);
            caseIds.push(String(raised.body.caseId));
          }
          const seen = caseIds.map(() => 0n);
          const keys: string[] = [];
          const accepted: { caseId: string; revision: bigint; commandKey?: string }[] = [];
          for (const wave of waves) {
            const responses = await Promise.all(
              wave.map(async (op) => {
                const { who, path, body } = request(op);
                const caseId = caseIds[op.case];
                const key =
                  op.key === 'none'
                    ? undefined
                    : op.key === 'retry' && keys.length > 0
                      ? keys[op.variant % keys.length]
                      : randomUUID();
                if (key && op.key === 'fresh') keys.push(key);
                const headers: Record<string, string> = {};
                if (key) headers['idempotency-key'] = key;
                if (op.ifMatch === 'seen') headers['if-match'] = `"${seen[op.case]}"`;
                if (op.ifMatch === 'stale') headers['if-match'] = '"0"';
                const response = await api.request('POST', `/cases/${caseId}/${path}`, {
                  token: tokens[who],
                  body,
                  headers,
                });
                return { op, caseId, response };
              }),
            );
            for (const { op, caseId, response } of responses) {
              if (response.status >= 500) serverErrors += 1;
              expect(response.status).toBeLessThan(500);
              if (response.status === 200) {
                const revision = BigInt(String(response.body.revision));
                accepted.push({ caseId, revision });
                if (revision > seen[op.case]) seen[op.case] = revision;
              } else {
                expectProblem(response);
              }
            }
          }
          acknowledged += accepted.length;
          for (const caseId of caseIds) {
            const events = await collect(store.readStream(`case-${caseId}`));
            // No gap: revisions run 0, 1, 2, ... with nothing missing.
            expect(events.map((event) => event.revision)).toEqual(events.map((_, i) => BigInt(i)));
            for (const { revision } of accepted.filter((a) => a.caseId === caseId)) {
              if (!events.some((event) => event.revision === revision)) lost += 1;
            }
          }
          expect(lost).toBe(0);
        },
      ),
      { numRuns: 12, seed: 20261201 },
    );
    tally({ suite: 'concurrency storms', scenarios: storms, commands: acknowledged, lost, serverErrors });
  }, 120_000);

  function expectProblem(response: ApiResponse): void {
    expect({ status: REFUSALS.includes(response.status), type: response.headers.get('content-type') }).toEqual({
      status: true,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(response.body).toMatchObject({ status: response.status, title: expect.any(String) });
  }
});

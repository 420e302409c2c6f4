import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '@harbour/testing';
import { startApi, type ApiHarness } from './support/api-harness';
import { harbourCli } from './support/harbour-cli';
import { MEMBERS, PANEL_ID, assessment, convening, decision, listing, referral, when } from './support/pilot-path';

/**
 * Issue 6 over real HTTP and the real CLI against a real SQLite file: history, the case as it
 * stood, why a decision stands, tamper evidence (an edited and a deleted event), the read-access
 * log, offline-verifiable exports, and the auditor role.
 */

type Body = Record<string, unknown>;
const GENESIS = '0'.repeat(64);

/** Runs the `harbour` CLI against the harness's data directory; never rejects. */
function harbour(api: ApiHarness, ...args: string[]) {
  return harbourCli(api.config.dataDir, ...args);
}

interface Tokens {
  lead: string;
  caseManager: string;
  chair: string;
  auditor: string;
}

async function tokensFor(api: ApiHarness): Promise<Tokens> {
  return {
    lead: await api.token('lead', { userId: 'lead-1', agency: 'dorset-police' }),
    caseManager: await api.token('case-manager', { userId: 'cm-1' }),
    chair: await api.token('panel-chair', { userId: 'chair-1', panels: [PANEL_ID] }),
    // An auditor of another region: auditors read every region.
    auditor: await api.token('auditor', { userId: 'auditor-1', region: 'west-yorkshire', agency: 'home-office' }),
  };
}

/** One referral carried to a panel decision; returns its id, the decision id and the evidence id. */
async function decidedCase(api: ApiHarness, tokens: Tokens, outcome: 'positive' | 'negative') {
  const post = async (path: string, token: string, body: unknown, at: string) => {
    const response = await api.request('POST', path, { token, body, headers: { 'x-occurred-at': at } });
    expect({ path, status: response.status, body: response.body }).toMatchObject({
      status: path === '/cases' ? 201 : 200,
    });
    return response;
  };
  const caseId = String((await post('/cases', tokens.lead, referral(), when.raised)).body.caseId);
  await post(`/cases/${caseId}/lead-assessment`, tokens.lead, assessment(), when.assessed);
  await post(
    `/cases/${caseId}/evidence`,
    tokens.caseManager,
    { kind: 'police-report', description: 'Report from "Smith & Sons" car wash' },
    when.listed,
  );
  await post(`/cases/${caseId}/panel-listing`, tokens.caseManager, listing(), when.listed);
  await post(`/cases/${caseId}/panel-convening`, tokens.chair, convening(), when.meeting);
  const history = await api.request<{ items: Body[] }>('GET', `/cases/${caseId}/history?limit=200`, {
    token: tokens.auditor,
  });
  const evidenceId = String((history.body.items[2].data as Body).evidenceId);
  await post(
    `/cases/${caseId}/decisions`,
    tokens.chair,
    { ...decision(outcome), evidenceReliedOn: [evidenceId] },
    when.decided,
  );
  const after = await api.request<{ items: Body[] }>('GET', `/cases/${caseId}/history?fromRevision=5`, {
    token: tokens.auditor,
  });
  const decisionId = String((after.body.items[0].data as Body).decisionId);
  return { caseId, decisionId, evidenceId };
}

describe('audit', () => {
  let api: ApiHarness;
  let tokens: Tokens;
  let positive: { caseId: string; decisionId: string; evidenceId: string };
  let negative: { caseId: string; decisionId: string; evidenceId: string };

  beforeAll(async () => {
    api = await startApi();
    api.clock.set(when.now);
    tokens = await tokensFor(api);
    positive = await decidedCase(api, tokens, 'positive');
    negative = await decidedCase(api, tokens, 'negative');
  });
  afterAll(() => api.close());

  describe('GET /cases/:id/history', () => {
    it('pages through every event with who, when, why, ids and the hash chain', async () => {
      const path = `/cases/${positive.caseId}/history`;
      const first = await api.request<{ items: Body[]; nextCursor: string }>('GET', `${path}?limit=4`, {
        token: tokens.auditor,
      });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ caseId: positive.caseId, headRevision: '5' });
      expect(Object.keys(first.body).sort()).toEqual(['caseId', 'headRevision', 'items', 'nextCursor']);
      expect(first.body.items.map((item) => item.revision)).toEqual(['0', '1', '2', '3']);
      expect(first.body.items[0]).toMatchObject({
        type: 'ReferralRaised',
        occurredAt: when.raised,
        recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        who: { userId: 'lead-1', role: 'lead', agency: 'dorset-police', region: 'south-west' },
        correlationId: expect.any(String),
        causationId: expect.any(String),
        position: expect.stringMatching(/^\d+$/),
        prevHash: GENESIS,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(first.body.items[1]).toMatchObject({
        type: 'LeadAssessmentRecorded',
        why: [{ field: 'rationale', text: assessment().rationale }],
        prevHash: first.body.items[0].hash,
      });

      const second = await api.request<{ items: Body[]; nextCursor: string | null }>(
        'GET',
        `${path}?limit=4&cursor=${first.body.nextCursor}`,
        { token: tokens.auditor },
      );
      expect(second.body.items.map((item) => [item.revision, item.type])).toEqual([
        ['4', 'PanelConvened'],
        ['5', 'DecisionRecorded'],
      ]);
      expect(second.body.nextCursor).toBeNull();
      expect(second.body.items[0].prevHash).toBe(first.body.items[3].hash);
      expect(second.body.items[1]).toMatchObject({
        who: { userId: 'chair-1', role: 'panel-chair' },
        why: [{ field: 'rationale', text: decision().rationale }],
      });

      const byRevision = await api.request<{ items: Body[] }>('GET', `${path}?fromRevision=5`, { token: tokens.lead });
      expect(byRevision.body.items.map((item) => item.revision)).toEqual(['5']);
    });

    it.each([
      ['a cursor and fromRevision together', '?cursor=eyJ2IjoxLCJmcm9tIjoiMSJ9&fromRevision=1', 'cursor'],
      ['a cursor it never gave', '?cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['a zero limit', '?limit=0', 'limit'],
      ['a negative revision', '?fromRevision=-1', 'fromRevision'],
    ])('refuses %s with a 400 naming the field', async (_name, query, field) => {
      const response = await api.request<Body>('GET', `/cases/${positive.caseId}/history${query}`, {
        token: tokens.auditor,
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });
  });

  describe('GET /cases/:id/state', () => {
    const state = (query: string, token = tokens.auditor) =>
      api.request<Body>('GET', `/cases/${positive.caseId}/state?${query}`, { token });

    it('replays the case up to a revision', async () => {
      expect((await state('revision=0')).body).toMatchObject({ revision: '0', state: { status: 'referred' } });
      const recovery = await state('revision=1');
      expect(recovery.status).toBe(200);
      expect(recovery.body).toMatchObject({
        caseId: positive.caseId,
        revision: '1',
        occurredAt: when.assessed,
        asOf: null,
        state: { status: 'recovery', recoveryPeriod: { days: 45 } },
      });
      expect((await state('revision=5')).body).toMatchObject({ state: { status: 'decided-positive' } });
      expect((await state('revision=6')).status).toBe(404);
    });

    it('replays the case as recorded by a time, and answers 404 before it existed', async () => {
      const history = await api.request<{ items: Body[] }>('GET', `/cases/${positive.caseId}/history`, {
        token: tokens.auditor,
      });
      const recorded = history.body.items.map((item) => String(item.recordedAt));
      // Every event recorded by the time of revision 2's recording: revision 2 or a later one
      // recorded in the same millisecond.
      const expected = String(recorded.filter((at) => at <= recorded[2]).length - 1);
      const asOf = await state(`asOf=${recorded[2]}`);
      expect(asOf.status).toBe(200);
      expect(asOf.body).toMatchObject({
        revision: expected,
        asOf: recorded[2],
        recordedAt: recorded[Number(expected)],
      });
      const byRevision = await state(`revision=${expected}`);
      expect(asOf.body.state).toEqual(byRevision.body.state);

      const before = new Date(Date.parse(recorded[0]) - 1).toISOString();
      const missing = await state(`asOf=${before}`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(String(missing.body.detail)).toMatch(/did not exist at/);
      // Business time plays no part: the case's business times lie years before its recording.
      expect((await state(`asOf=${when.now}`)).status).toBe(404);
    });

    it.each([
      ['neither asOf nor revision', ''],
      ['both asOf and revision', 'asOf=2030-01-01T00:00:00Z&revision=1'],
      ['a date without a time', 'asOf=2015-10-01'],
      ['a revision that is not a number', 'revision=one'],
    ])('refuses %s with a 400', async (_name, query) => {
      const response = await state(query);
      expect(response.status).toBe(400);
      expect(response.body.type).toMatch(/invalid-request$/);
    });
  });

  describe('GET /cases/:id/decisions/:decisionId/explain', () => {
    it('explains a positive decision: the event, the case before it, the definition, each rule and its facts', async () => {
      const response = await api.request<Body>(
        'GET',
        `/cases/${positive.caseId}/decisions/${positive.decisionId}/explain`,
        { token: tokens.auditor },
      );
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        caseId: positive.caseId,
        decision: { type: 'DecisionRecorded', revision: '5', data: { outcome: 'positive' } },
        stateBefore: { status: 'panel-convened', panel: { chairId: 'chair-1' } },
        stateBeforeRevision: '4',
        workflow: { id: 'nrm-pilot-2015', version: 1, rules: { panelQuorum: 5 } },
        explanation: { outcome: 'positive', decidedByKind: 'panel', allSatisfied: true },
      });
      const rules = (response.body.explanation as { rules: Body[] }).rules;
      const rule = (name: string) => rules.find((r) => r.rule === name);
      expect(rule('recovery-period-not-elapsed')).toMatchObject({
        satisfied: true,
        facts: { recoveryEndsAt: '2015-10-17T09:00:00.000Z', decidedAt: when.decided, recoveryDays: 45 },
      });
      expect(rule('panel-quorum-5')).toMatchObject({ satisfied: true, facts: { counted: MEMBERS.length, quorum: 5 } });
      expect(rule('decision-by-presiding-chair')).toMatchObject({ satisfied: true, facts: { recordedBy: 'chair-1' } });
      expect(rule('evidence-not-on-file')).toMatchObject({
        satisfied: true,
        facts: { reliedOn: [positive.evidenceId] },
      });
      expect(rule('written-rationale-required')).toMatchObject({ satisfied: true });
      expect(rule('conflicted-member-excluded')).toMatchObject({ satisfied: true });
    });

    it('explains a negative decision', async () => {
      const response = await api.request<Body>(
        'GET',
        `/cases/${negative.caseId}/decisions/${negative.decisionId}/explain`,
        { token: tokens.lead },
      );
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        decision: { data: { outcome: 'negative' } },
        explanation: { outcome: 'negative', allSatisfied: true },
      });
    });

    it('answers 404 for a decision the case does not hold', async () => {
      const response = await api.request('GET', `/cases/${positive.caseId}/decisions/${negative.decisionId}/explain`, {
        token: tokens.auditor,
      });
      expect(response.status).toBe(404);
    });
  });

  describe('the auditor role', () => {
    it('reads history, state, explain and verify in every region; to a lead of another region the case is unknown', async () => {
      const otherLead = await api.token('lead', { userId: 'lead-9', region: 'west-yorkshire' });
      for (const path of [
        `/cases/${positive.caseId}/history`,
        `/cases/${positive.caseId}/state?revision=0`,
        `/cases/${positive.caseId}/decisions/${positive.decisionId}/explain`,
        `/cases/${positive.caseId}/verify`,
      ]) {
        expect({ path, status: (await api.request('GET', path, { token: tokens.auditor })).status }).toEqual({
          path,
          status: 200,
        });
        expect({ path, status: (await api.request('GET', path, { token: otherLead })).status }).toEqual({
          path,
          status: 404,
        });
      }
    });

    it('issues no command', async () => {
      const response = await api.request<Body>('POST', `/cases/${positive.caseId}/closure`, {
        token: tokens.auditor,
        body: { notes: 'Closing it.' },
      });
      expect(response.status).toBe(403);
    });
  });

  describe('the read-access log', () => {
    it('records a read by a lead and by an auditor, and lists both at GET /audit/access', async () => {
      const fresh = await decidedCase(api, tokens, 'positive');
      expect((await api.request('GET', `/cases/${fresh.caseId}/file`, { token: tokens.lead })).status).toBe(200);
      expect((await api.request('GET', `/cases/${fresh.caseId}/history`, { token: tokens.auditor })).status).toBe(200);
      // A summary without personal data is not logged.
      expect((await api.request('GET', `/cases/${fresh.caseId}`, { token: tokens.lead })).status).toBe(200);

      const log = await api.request<{ items: Body[]; nextCursor: string | null }>(
        'GET',
        `/audit/access?caseId=${fresh.caseId}`,
        { token: tokens.auditor },
      );
      expect(log.status).toBe(200);
      const reads = log.body.items.map((item) => [item.viewerId, item.role, item.endpoint]);
      expect(reads).toEqual(
        expect.arrayContaining([
          ['lead-1', 'lead', 'GET /cases/:caseId/file'],
          ['auditor-1', 'auditor', 'GET /cases/:caseId/history'],
        ]),
      );
      expect(reads).not.toContainEqual(expect.arrayContaining(['GET /cases/:caseId']));
      expect(log.body.items[0]).toMatchObject({
        caseId: fresh.caseId,
        viewedAt: when.now,
        stream: 'audit-access-2015-11-01',
        agency: expect.any(String),
      });
      expect(log.body.nextCursor).toBeNull();

      // One at a time: the same reads, through nextCursor.
      const paged: Body[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const page: { body: { items: Body[]; nextCursor: string | null } } = await api.request(
          'GET',
          `/audit/access?caseId=${fresh.caseId}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
          { token: tokens.auditor },
        );
        expect(page.body.items.length).toBeLessThanOrEqual(1);
        paged.push(...page.body.items);
        cursor = page.body.nextCursor;
      }
      expect(paged).toEqual(log.body.items);

      const byViewer = await api.request<{ items: Body[] }>(
        'GET',
        `/audit/access?caseId=${fresh.caseId}&viewer=lead-1`,
        { token: tokens.auditor },
      );
      expect(byViewer.body.items.map((item) => item.endpoint)).toEqual(['GET /cases/:caseId/file']);
      const outside = await api.request<{ items: Body[] }>(
        'GET',
        `/audit/access?caseId=${fresh.caseId}&from=2015-10-01T00:00:00Z&to=2015-10-31T00:00:00Z`,
        { token: tokens.auditor },
      );
      expect(outside.body.items).toEqual([]);
    });

    it('is for auditors and admins only, and refuses a range over 31 days', async () => {
      expect((await api.request('GET', '/audit/access', { token: tokens.lead })).status).toBe(403);
      const admin = await api.token('admin');
      expect((await api.request('GET', '/audit/access', { token: admin })).status).toBe(200);
      const wide = await api.request<Body>('GET', '/audit/access?from=2015-01-01T00:00:00Z&to=2015-03-01T00:00:00Z', {
        token: tokens.auditor,
      });
      expect(wide.status).toBe(400);
      expect(String(wide.body.detail)).toMatch(/at most 31/);
    });
  });

  describe('export', () => {
    it('writes a case file that verifies offline, and fails once one byte changes', async () => {
      const dir = tempDir('harbour-export-');
      try {
        const file = join(dir.path, 'case.json');
        const exported = await harbour(api, 'audit', 'export', positive.caseId, '--format', 'json', '--out', file);
        expect(exported).toMatchObject({ code: 0 });
        const text = readFileSync(file, 'utf8');
        const parsed = JSON.parse(text) as Body;
        expect(parsed).toMatchObject({
          caseId: positive.caseId,
          status: 'decided-positive',
          verification: { ok: true, events: 6 },
          decisions: [{ decisionId: positive.decisionId, outcome: 'positive', rationale: decision().rationale }],
        });
        expect((parsed.timeline as Body[]).map((entry) => entry.type)).toContain('PanelConvened');

        expect(await harbour(api, 'audit', 'verify-export', file)).toMatchObject({
          code: 0,
          stdout: expect.stringMatching(/^OK: /),
        });

        // One byte of content (a letter of the rationale), then one byte of layout.
        const at = text.indexOf('balance of probabilities');
        writeFileSync(file, `${text.slice(0, at)}B${text.slice(at + 1)}`);
        const altered = await harbour(api, 'audit', 'verify-export', file);
        expect(altered.code).toBe(1);
        expect(altered.stdout).toMatch(/BROKEN/);
        expect(altered.stdout).toMatch(/digest mismatch/);
        writeFileSync(file, text.replace('\n  "', '\n   "'));
        const relaid = await harbour(api, 'audit', 'verify-export', file);
        expect(relaid.code).toBe(1);
        expect(relaid.stdout).toMatch(/byte-for-byte/);

        // The export was a read of the case's personal data, and is logged as one.
        const log = await api.request<{ items: Body[] }>(
          'GET',
          `/audit/access?caseId=${positive.caseId}&from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z`,
          { token: tokens.auditor },
        );
        expect(log.status).toBe(200);
        const today = new Date();
        const recent = await api.request<{ items: Body[] }>(
          'GET',
          `/audit/access?caseId=${positive.caseId}&from=${new Date(today.getTime() - 86_400_000).toISOString()}&to=${new Date(today.getTime() + 86_400_000).toISOString()}`,
          { token: tokens.auditor },
        );
        expect(recent.body.items.map((item) => item.endpoint)).toContain('harbour audit export --format json');
      } finally {
        dir.remove();
      }
    });

    it('writes printable HTML that escapes every string', async () => {
      const result = await harbour(api, 'audit', 'export', positive.caseId, '--format', 'html');
      expect(result.code).toBe(0);
      const html = result.stdout;
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).toContain('@media print');
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain('Report from \\&#34;Smith &#38; Sons\\&#34; car wash');
      expect(html).not.toContain('Smith & Sons');
      expect(html).toContain('<span class="ok">Intact</span>');
      expect(html).toContain(decision().rationale);
    });
  });
});

describe('tamper evidence', () => {
  let api: ApiHarness;
  let tokens: Tokens;

  beforeAll(async () => {
    api = await startApi();
    api.clock.set(when.now);
    tokens = await tokensFor(api);
  });
  afterAll(() => api.close());

  const eventsFile = () => join(api.config.dataDir, 'events.db');
  const verify = (caseId: string) => api.request<Body>('GET', `/cases/${caseId}/verify`, { token: tokens.auditor });

  it('finds an intact store intact, over the API and the CLI', async () => {
    const { caseId } = await decidedCase(api, tokens, 'positive');
    const response = await verify(caseId);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ caseId, stream: `case-${caseId}`, ok: true, events: 6, firstBroken: null });
    const cli = await harbour(api, 'audit', 'verify');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^OK: \d+ events in \d+ streams, every link intact/m);
  });

  it('names an event whose data was edited in the SQLite file, and one after a deleted event', async () => {
    const edited = await decidedCase(api, tokens, 'positive');
    const deleted = await decidedCase(api, tokens, 'negative');
    const db = new Database(eventsFile());
    let editedPosition: string;
    try {
      const row = db
        .prepare('SELECT position FROM events WHERE stream = ? AND revision = 2')
        .get(`case-${edited.caseId}`) as { position: number };
      editedPosition = String(row.position);
      const update = db
        .prepare(
          `UPDATE events SET data = json_set(data, '$.description', 'A different report') WHERE stream = ? AND revision = 2`,
        )
        .run(`case-${edited.caseId}`);
      expect(update.changes).toBe(1);
      const removal = db.prepare('DELETE FROM events WHERE stream = ? AND revision = 3').run(`case-${deleted.caseId}`);
      expect(removal.changes).toBe(1);
    } finally {
      db.close();
    }

    const afterEdit = await verify(edited.caseId);
    expect(afterEdit.status).toBe(200);
    expect(afterEdit.body).toMatchObject({
      ok: false,
      firstBroken: {
        stream: `case-${edited.caseId}`,
        revision: '2',
        position: editedPosition,
        type: 'EvidenceAdded',
        problem: 'hash-mismatch',
      },
    });
    const afterDelete = await verify(deleted.caseId);
    expect(afterDelete.body).toMatchObject({
      ok: false,
      firstBroken: { stream: `case-${deleted.caseId}`, revision: '4', type: 'PanelConvened', problem: 'revision-gap' },
    });
    expect((afterDelete.body.firstBroken as Body).detail).toMatch(/revision 3 is missing/);

    const whole = await harbour(api, 'audit', 'verify');
    expect(whole.code).toBe(1);
    expect(whole.stdout).toContain(
      `BROKEN: first broken event: stream case-${edited.caseId}, revision 2, position ${editedPosition}`,
    );
    expect(whole.stdout).toContain('hash-mismatch');
    expect(whole.stdout).toContain(`also broken: case-${deleted.caseId} at revision 4 (revision-gap)`);
    expect(whole.stdout).toMatch(/2 of \d+ streams broken/);

    const one = await harbour(api, 'audit', 'verify', '--case', deleted.caseId);
    expect(one.code).toBe(1);
    expect(one.stdout).toContain(`BROKEN: first broken event: stream case-${deleted.caseId}, revision 4`);
    expect(one.stdout).toContain('revision-gap: revision 3 is missing before it');
  });
});

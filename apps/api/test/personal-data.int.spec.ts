import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import { ROLES, isPanelRole, type Role } from '@harbour/security';
import { tempDir } from '@harbour/testing';
import { apiConfigFrom } from '../src/api.config';
import { createApiApp } from '../src/app.factory';
import { startApi, type ApiHarness, type ApiResponse } from './support/api-harness';
import { MEMBERS, PANEL_ID, convening, listing, referral, when } from './support/pilot-path';
import { nestRoutes } from './support/routes';

/**
 * Personal data end to end: what a test writes through the API is never in the stored files in
 * the clear, never in a log line, never sent to an analyst; after erasure no endpoint, export or
 * report shows it to anyone, and the hash chain still verifies. Master key rotation keeps every
 * case readable; a wrong master key stops start-up.
 */

const REPO_ROOT = join(__dirname, '..', '..', '..');
type Body = Record<string, unknown>;

// Distinctive values, so a hit anywhere is this test's data and nothing else.
const NAME = 'Zephyrine Quartermaine-Olu';
const ALIAS = 'Zeph Moreno-Quillfeather';
const PHONE = '07700 918273';
const ADDRESS = '14 Larkspur Mews, Weymouth';
const DATE_OF_BIRTH = '1991-04-17';
const ACCOUNT = 'Kept in a caravan behind the Bramblewood car wash, paid nothing for months.';
const ASSESSMENT = 'Corroborated by the Bramblewood payroll ledger and the injuries recorded.';
const EVIDENCE = 'Photographs of the Larkspur caravan interior taken by officers.';
const DECISION = 'The panel accepts the Bramblewood account as credible and internally consistent.';
const DISSENT = 'I doubt the Larkspur timeline holds together on the dates given.';
const CLOSURE = 'Moved to the Harebell safehouse near Poole with move-on support.';
const PERSONAL = [
  NAME,
  ALIAS,
  PHONE,
  ADDRESS,
  DATE_OF_BIRTH,
  ACCOUNT,
  ASSESSMENT,
  EVIDENCE,
  DECISION,
  DISSENT,
  CLOSURE,
];

/** Every personal value found in `text`. */
const leaked = (text: string) => PERSONAL.filter((value) => text.includes(value));

/** Records every line the API logs (and everything written to stdout and stderr meanwhile). */
class RecordingLogger implements LoggerService {
  readonly lines: string[] = [];
  private readonly record =
    (level: string) =>
    (message: unknown, ...rest: unknown[]) => {
      this.lines.push(
        `${level} ${[message, ...rest].map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ')}`,
      );
    };
  log = this.record('log');
  error = this.record('error');
  warn = this.record('warn');
  debug = this.record('debug');
  verbose = this.record('verbose');
  fatal = this.record('fatal');
}

function harbour(
  dataDir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(dataDir, 'apps/cli/src/main.ts', args, env);
}

/** Runs one of Harbour's entry points (the CLI, the reporting job) on `dataDir`. */
function run(
  dataDir: string,
  entry: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', entry, ...args],
      { cwd: REPO_ROOT, env: { ...process.env, HARBOUR_DATA_DIR: dataDir, ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** Every file under the data directory except the key store and the development secrets, as bytes. */
function storedBytes(dataDir: string): Buffer {
  return Buffer.concat(
    readdirSync(dataDir)
      .filter((file) => !file.startsWith('keys.db') && !file.startsWith('dev-'))
      .map((file) => readFileSync(join(dataDir, file))),
  );
}

describe('personal data', () => {
  let api: ApiHarness;
  const logger = new RecordingLogger();
  const written: string[] = [];
  const tokens = new Map<Role, string>();
  let caseId: string;
  let subjectId: string;
  let decisionId: string;
  let restoreWrites: () => void;

  async function send(role: Role, method: string, path: string, body?: unknown, at?: string): Promise<ApiResponse> {
    return api.request(method, path, {
      token: tokens.get(role),
      ...(body === undefined ? {} : { body }),
      headers: at ? { 'x-occurred-at': at } : {},
    });
  }

  async function step(role: Role, path: string, body: unknown, at: string, expected = 200): Promise<ApiResponse> {
    const response = await send(role, 'POST', path, body, at);
    expect({ path, status: response.status, body: response.body }).toMatchObject({ status: expected });
    return response;
  }

  /** Every GET route the app serves, with the ids of this test's case, decision and subject. */
  function getPaths(): string[] {
    return nestRoutes(api.app)
      .filter((route) => route.method === 'GET')
      .map((route) => {
        const path = route.path
          .replace(':caseId', caseId)
          .replace(':decisionId', decisionId)
          .replace(':subjectId', subjectId)
          .replace(':id', 'nrm-pilot-2015');
        if (route.path.endsWith('/state')) return `${path}?revision=0`;
        if (route.path === '/audit/access') return `${path}?from=2000-01-01T00:00:00Z&to=2000-01-31T00:00:00Z`;
        return path;
      });
  }

  /** What every GET route sends `role`, as text. */
  async function everythingSentTo(role: Role): Promise<{ path: string; status: number; text: string }[]> {
    const sent = [];
    for (const path of getPaths()) {
      const response = await send(role, 'GET', path);
      sent.push({ path, status: response.status, text: JSON.stringify(response.body) });
    }
    return sent;
  }

  beforeAll(async () => {
    const write = (stream: NodeJS.WriteStream) => {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        written.push(String(chunk));
        return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      return () => (stream.write = original as typeof stream.write);
    };
    const restoreOut = write(process.stdout);
    const restoreErr = write(process.stderr);
    restoreWrites = () => {
      restoreOut();
      restoreErr();
    };
    // The letters loop is held off here: a letter appended while `npm run report` catches up the
    // statistics projection in its own process made the report refuse the API's checkpoint as
    // "not the position of an event in this store" (exit 2). An open defect, in the closing note of
    // 2026-12-03; this test is about personal data, not that race.
    api = await startApi({ logger, env: { HARBOUR_LETTERS_INTERVAL_MS: '3600000' } });
    api.clock.set(when.now);
    for (const role of ROLES) {
      tokens.set(role, await api.token(role, isPanelRole(role) ? { panels: [PANEL_ID], userId: `${role}-1` } : {}));
    }

    const subject = {
      ...(referral().subject as Body),
      name: NAME,
      aliases: [ALIAS],
      dateOfBirth: DATE_OF_BIRTH,
      contact: { phone: PHONE, postalAddress: ADDRESS, safeToEmail: false, safeToPost: true },
    };
    const raised = await step('lead', '/cases', referral({ subject, account: ACCOUNT }), when.raised, 201);
    caseId = String(raised.body.caseId);
    await step('lead', `/cases/${caseId}/evidence`, { kind: 'police-report', description: EVIDENCE }, when.raised);
    await step(
      'lead',
      `/cases/${caseId}/lead-assessment`,
      { outcome: 'positive', rationale: ASSESSMENT },
      when.assessed,
    );
    await step('case-manager', `/cases/${caseId}/panel-listing`, listing(), when.listed);
    await step('panel-chair', `/cases/${caseId}/panel-convening`, convening(), when.meeting);
    const file = await send('case-manager', 'GET', `/cases/${caseId}/file`);
    const evidence = (file.body.file as { evidence: { evidenceId: string; description: string }[] }).evidence;
    expect(evidence.map((item) => item.description)).toEqual([EVIDENCE]);
    const dissenter = MEMBERS[4].memberId;
    await step(
      'panel-chair',
      `/cases/${caseId}/decisions`,
      {
        outcome: 'positive',
        rationale: DECISION,
        evidenceReliedOn: [evidence[0].evidenceId],
        votes: MEMBERS.map((m) => ({ memberId: m.memberId, vote: m.memberId === dissenter ? 'negative' : 'positive' })),
        dissent: [{ memberId: dissenter, reason: DISSENT }],
      },
      when.decided,
    );
    await step('case-manager', `/cases/${caseId}/closure`, { notes: CLOSURE }, when.closed);
    // A refused request carrying personal data: nothing of it may reach a log either.
    await step('lead', '/cases', referral({ subject: { ...subject, name: `<b>${NAME}</b>` } }), when.raised, 400);

    const history = await send('admin', 'GET', `/cases/${caseId}/history?limit=200`);
    const items = history.body.items as { type: string; data: Body }[];
    subjectId = String((items[0].data.subject as Body).subjectId);
    decisionId = String(items.find((item) => item.type === 'DecisionRecorded')!.data.decisionId);
    // Read models catch up before the walks below.
    await send('admin', 'GET', '/cases', undefined);
  });

  afterAll(async () => {
    restoreWrites();
    await api.close();
  });

  it('gives every value back, decrypted, to those who may read it (so the checks below can fail)', async () => {
    const history = JSON.stringify((await send('admin', 'GET', `/cases/${caseId}/history?limit=200`)).body);
    expect(leaked(history)).toEqual(PERSONAL);
    const decisions = JSON.stringify((await send('panel-chair', 'GET', `/cases/${caseId}/decisions`)).body);
    expect(leaked(decisions)).toEqual([EVIDENCE, DECISION, DISSENT]);
    const exported = await send('admin', 'GET', `/subjects/${subjectId}/export`);
    expect(exported.status).toBe(200);
    expect(leaked(JSON.stringify(exported.body))).toEqual(PERSONAL);
  });

  it('stores none of it in the clear: the event, read-model and idempotency files hold ciphertext', () => {
    const bytes = storedBytes(api.config.dataDir);
    expect(bytes.length).toBeGreaterThan(0);
    expect(PERSONAL.filter((value) => bytes.includes(Buffer.from(value, 'utf8')))).toEqual([]);
    expect(bytes.includes(Buffer.from('enc:v1:'))).toBe(true);
  });

  it('sends an analyst no personal data from any endpoint', async () => {
    const sent = await everythingSentTo('analyst');
    expect(sent.length).toBeGreaterThan(10);
    expect(sent.filter((response) => leaked(response.text).length > 0)).toEqual([]);
    // Reference data (workflows, organisations) and the operations endpoints (health, metrics: counts and route templates).
    expect(
      sent
        .filter((response) => response.status === 200)
        .map((response) => response.path)
        .sort(),
    ).toEqual(
      // The ledger's heads and keys: hashes and public keys, open to every role.
      [
        '/health/live',
        '/health/ready',
        '/ledger/head',
        '/ledger/heads',
        '/ledger/keys',
        '/metrics',
        '/organisations',
        '/workflows',
        '/workflows/nrm-pilot-2015',
      ].sort(),
    );
  });

  it('logs the subject export as a read of each case', async () => {
    const log = await send('auditor', 'GET', `/audit/access?caseId=${caseId}`);
    expect((log.body.items as Body[]).map((item) => item.endpoint)).toContain('GET /subjects/:subjectId/export');
  });

  describe('erasure', () => {
    it('is refused while a case of the subject is on legal hold, naming the rule', async () => {
      await step('admin', `/cases/${caseId}/legal-hold`, { reason: 'Civil claim 2024/117.' }, when.now);
      const refused = await send('admin', 'POST', `/subjects/${subjectId}/erasure`, { reason: 'Request ER-1.' });
      expect(refused).toMatchObject({ status: 422, body: { rule: 'legal-hold-blocks-erasure' } });
      expect(await send('admin', 'POST', `/cases/${caseId}/legal-hold`, { reason: 'Again.' })).toMatchObject({
        status: 422,
        body: { rule: 'legal-hold-already-placed' },
      });
      await step('admin', `/cases/${caseId}/legal-hold/release`, { reason: 'Judgment given.' }, when.now);
    });

    it('is for admins only', async () => {
      for (const role of ROLES.filter((r) => r !== 'admin')) {
        const response = await send(role, 'POST', `/subjects/${subjectId}/erasure`, { reason: 'Request ER-1.' });
        expect({ role, status: response.status }).toEqual({ role, status: 403 });
      }
    });

    it('destroys the key: no endpoint shows any role the data again, and the chain still verifies', async () => {
      const erased = await step('admin', `/subjects/${subjectId}/erasure`, { reason: 'Request ER-1.' }, when.now);
      expect(erased.body).toMatchObject({ subjectId, caseIds: [caseId] });
      for (const role of ROLES) {
        const sent = await everythingSentTo(role);
        expect({ role, leaks: sent.filter((response) => leaked(response.text).length > 0) }).toEqual({
          role,
          leaks: [],
        });
      }
      const history = JSON.stringify((await send('admin', 'GET', `/cases/${caseId}/history?limit=200`)).body);
      expect(history).toContain('[erased]');
      const decisions = (await send('admin', 'GET', `/cases/${caseId}/decisions`)).body as unknown as Body[];
      expect(decisions[0]).toMatchObject({ rationale: '[erased]', dissent: [{ reason: '[erased]' }] });
      expect(await send('admin', 'GET', `/cases/${caseId}/verify`)).toMatchObject({ status: 200, body: { ok: true } });
      expect(await send('admin', 'POST', `/subjects/${subjectId}/erasure`, { reason: 'Again.' })).toMatchObject({
        status: 422,
        body: { rule: 'subject-already-erased' },
      });
    });

    it('leaves nothing in the command line exports and reports, and audit verify passes', async () => {
      const dir = api.config.dataDir;
      const exported = await harbour(dir, ['audit', 'export', caseId, '--format', 'json']);
      expect(exported.code).toBe(0);
      expect(exported.stdout).toContain('[erased]');
      const html = await harbour(dir, ['audit', 'export', caseId, '--format', 'html']);
      const report = await harbour(dir, ['retention', 'report']);
      expect(report.code).toBe(0);
      const dryRun = await harbour(dir, ['retention', 'apply', '--dry-run']);
      expect(dryRun.code).toBe(0);
      for (const output of [exported, html, report, dryRun]) expect(leaked(output.stdout + output.stderr)).toEqual([]);
      // The statistics report on the quarter of the case (2015-Q3 and -Q4): no value in any file.
      const out = tempDir('harbour-report-');
      try {
        for (const period of ['2015-Q3', '2015-Q4']) {
          const statistics = await run(dir, 'apps/reporting/src/main.ts', ['--period', period, '--out', out.path]);
          expect({ period, code: statistics.code }).toEqual({ period, code: 0 });
          expect(leaked(statistics.stdout + statistics.stderr)).toEqual([]);
        }
        const files = readdirSync(out.path, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
        expect(files.length).toBeGreaterThan(10);
        for (const file of files) {
          expect({ file: file.name, leaked: leaked(readFileSync(join(file.parentPath, file.name), 'utf8')) }).toEqual({
            file: file.name,
            leaked: [],
          });
        }
      } finally {
        out.remove();
      }
      const verified = await harbour(dir, ['audit', 'verify']);
      expect(verified).toMatchObject({ code: 0, stdout: expect.stringContaining('every link intact') });
      // Seven processes started one after another (each export also proves the case in the ledger).
    }, 90_000);
  });

  it('wrote none of the personal data to any log line or to stdout/stderr', () => {
    expect(logger.lines.length + written.length).toBeGreaterThan(0);
    expect(leaked([...logger.lines, ...written].join('\n'))).toEqual([]);
  });
});

describe('master key', () => {
  it('rotates: every case stays readable under the new key, and the old one no longer starts', async () => {
    const dir = tempDir('harbour-rotate-');
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    try {
      let api = await startApi({ dataDir: dir.path, env: { HARBOUR_MASTER_KEY: oldKey } });
      api.clock.set(when.now);
      const lead = await api.token('lead');
      const caseIds: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const subject = { ...(referral().subject as Body), name: `${NAME} ${i}` };
        const raised = await api.request('POST', '/cases', {
          token: lead,
          body: referral({ subject }),
          headers: { 'x-occurred-at': when.raised },
        });
        caseIds.push(String(raised.body.caseId));
      }
      await api.close();

      const rotated = await harbour(dir.path, ['keys', 'rotate-master'], {
        HARBOUR_MASTER_KEY: oldKey,
        HARBOUR_NEW_MASTER_KEY: newKey,
      });
      expect(rotated).toMatchObject({
        code: 0,
        stdout: expect.stringContaining('3 data keys under the new master key'),
      });
      const again = await harbour(dir.path, ['keys', 'rotate-master'], {
        HARBOUR_MASTER_KEY: oldKey,
        HARBOUR_NEW_MASTER_KEY: newKey,
      });
      expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('0 re-wrapped now, 3 already were') });

      api = await startApi({ dataDir: dir.path, env: { HARBOUR_MASTER_KEY: newKey } });
      const admin = await api.token('admin');
      for (const [i, id] of caseIds.entries()) {
        const history = await api.request('GET', `/cases/${id}/history`, { token: admin });
        expect(JSON.stringify(history.body)).toContain(`${NAME} ${i}`);
      }
      await api.close();

      const config = apiConfigFrom({ HARBOUR_DATA_DIR: dir.path, HARBOUR_MASTER_KEY: oldKey, HARBOUR_PORT: '0' });
      await expect(createApiApp(config, { logger: false })).rejects.toThrow(
        /^HARBOUR_MASTER_KEY: is not the master key of the key store/,
      );
    } finally {
      dir.remove();
    }
  });

  it('stops start-up with a message naming the setting when the key is wrong', async () => {
    const dir = tempDir('harbour-wrong-key-');
    try {
      const first = await startApi({ dataDir: dir.path });
      await first.close();
      const wrong = { HARBOUR_DATA_DIR: dir.path, HARBOUR_MASTER_KEY: randomBytes(32).toString('base64') };
      const started = await new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          ['-r', '@swc-node/register', 'apps/api/src/main.ts'],
          { cwd: REPO_ROOT, env: { ...process.env, ...wrong, HARBOUR_PORT: '0' }, timeout: 60_000 },
          (error, _stdout, stderr) => resolve({ code: typeof error?.code === 'number' ? error.code : 0, stderr }),
        );
      });
      expect(started.code).toBe(78);
      expect(started.stderr).toMatch(/^Harbour cannot start: HARBOUR_MASTER_KEY: is not the master key/m);
      expect(() => apiConfigFrom({ ...wrong, HARBOUR_MASTER_KEY: 'too-short' })).toThrow(/^HARBOUR_MASTER_KEY: /);
    } finally {
      dir.remove();
    }
  });
});

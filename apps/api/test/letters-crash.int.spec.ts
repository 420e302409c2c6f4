import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LetterStore, renderDecisionLetterPdf } from '@harbour/application';
import { renderDecisionLetterHtml, type DecisionLetterFacts } from '@harbour/domain';
import { SqliteEventStore } from '@harbour/event-store';
import { uuidFromName } from '@harbour/shared';
import { collect } from '@harbour/testing';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';

const REPO_ROOT = resolve(__dirname, '../../..');
const LETTERS = 100;

/**
 * Exactly once, by Message-ID, across a crash: the sending process is killed with SIGKILL part
 * way through a batch of 100 letters, at the moment the server has read a message but before it
 * has answered (the worst moment: the sender cannot know it was delivered). After a restart every
 * letter is in the mailbox exactly once by Message-ID, none is lost, and NotificationSent is on
 * each case exactly once. The one message in flight at the kill is transmitted again with the
 * same Message-ID, which is what lets the receiving side recognise it.
 */
describe('notifications across a SIGKILL of the sender', () => {
  let dir: string;
  let smtp: SmtpSink;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'harbour-letters-crash-'));
    smtp = await startSmtpSink();
  });
  afterAll(async () => {
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function runSender(): {
    exited: Promise<{ code: number | null; signal: string | null }>;
    kill: () => void;
    err: () => string;
  } {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/api/test/support/notification-sender.process.ts'],
      {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HARBOUR_TEST_EVENTS: join(dir, 'events.db'),
          HARBOUR_TEST_LETTERS: join(dir, 'letters.db'),
          HARBOUR_TEST_SMTP_PORT: String(smtp.port),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((done) =>
      child.on('exit', (code, signal) => done({ code, signal })),
    );
    return { exited, kill: () => child.kill('SIGKILL'), err: () => err };
  }

  it('delivers each of 100 letters exactly once by Message-ID after a kill part way', async () => {
    // 100 decisions' letters queued in the outbox, as the process manager leaves them.
    const letters = new LetterStore(join(dir, 'letters.db'));
    const expected: string[] = [];
    for (let i = 0; i < LETTERS; i += 1) {
      const caseId = uuidFromName(`crash-case-${i}`);
      const letterId = uuidFromName(`crash-letter-${i}`);
      const notificationId = uuidFromName(`crash-notification-${i}`);
      const facts: DecisionLetterFacts = {
        caseReference: caseId,
        decisionKind: 'conclusive-grounds',
        outcome: 'positive',
        decidedAt: '2015-10-20T12:00:00.000Z',
        reasons: null,
        decidedBy: 'the south-west-panel',
        guidanceVersion: 'nrm-competent-bodies-guidance-2015',
      };
      const html = renderDecisionLetterHtml(facts);
      const pdf = await renderDecisionLetterPdf(facts, facts.decidedAt);
      const messageId = `<${notificationId}@letters.harbour.test>`;
      expected.push(messageId);
      letters.saveLetter(
        {
          letterId,
          caseId,
          decisionId: uuidFromName(`crash-decision-${i}`),
          templateVersion: 1,
          issuedAt: facts.decidedAt,
          html,
          pdf,
          htmlSha256: 'x',
          pdfSha256: 'y',
        },
        [
          {
            notificationId,
            letterId,
            caseId,
            recipient: 'person',
            channel: 'email',
            address: `person-${i}@example.org`,
            messageId,
            nextAttemptAt: '2015-01-01T00:00:00.000Z',
          },
        ],
        { name: 'decision-letters', position: BigInt(i) },
      );
    }
    letters.close();

    // First run: killed the moment the server has read the 40th message, before it answers.
    const first = runSender();
    smtp.onMessage = (count) => {
      if (count === 40) first.kill();
    };
    expect((await first.exited).signal).toBe('SIGKILL');
    smtp.onMessage = () => undefined;
    const beforeRestart = smtp.transmissions.length;
    expect(beforeRestart).toBeGreaterThanOrEqual(40);
    expect(beforeRestart).toBeLessThan(LETTERS);

    // Restart: it sends the rest, and the one in flight again.
    const second = runSender();
    const exit = await second.exited;
    expect({ exit, stderr: second.err() }).toEqual({ exit: { code: 0, signal: null }, stderr: '' });

    expect([...smtp.mailbox.keys()].sort()).toEqual([...expected].sort());
    const perId = new Map<string, number>();
    for (const mail of smtp.transmissions) perId.set(mail.messageId, (perId.get(mail.messageId) ?? 0) + 1);
    const resent = [...perId.entries()].filter(([, n]) => n > 1);
    // At most the one message in flight at the kill went twice, with the same Message-ID.
    expect(resent.length).toBeLessThanOrEqual(1);
    expect(smtp.transmissions.length).toBe(LETTERS + resent.length);

    const store = new SqliteEventStore({ filename: join(dir, 'events.db') });
    const sent = (await collect(store.readAll({ filter: { eventTypes: ['NotificationSent'] } }))).map(
      (event) => (event.data as { messageId: string }).messageId,
    );
    await store.close();
    expect(sent.sort()).toEqual([...expected].sort());
    const after = new LetterStore(join(dir, 'letters.db'));
    expect(after.counts()).toEqual({ pending: 0, sent: LETTERS, failed: 0 });
    after.close();
  }, 120_000);
});

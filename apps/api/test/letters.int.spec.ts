import { createHash } from 'node:crypto';
import { join } from 'node:path';
import {
  DecisionLettersProcessManager,
  EventSchemaRegistry,
  LetterStore,
  NotificationSender,
  PERSONAL_DATA,
  smtpTransport,
} from '@harbour/application';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import type { PersonalDataProtector } from '@harbour/privacy';
import { collect } from '@harbour/testing';
import { startApi, type ApiHarness } from './support/api-harness';
import { assessment, referral, when } from './support/pilot-path';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';

const MAILBOXES: Record<string, string> = {
  'dorset-police': 'modern-slavery@dorset-police.example',
  'salvation-army': 'nrm-decisions@salvation-army.example',
};

/**
 * Decision letters and their notifications against a real SMTP server started by the test: the
 * process manager makes a letter per decision (HTML and PDF, digests recorded), the sender
 * delivers it to the recipients the definition names through channels marked safe, retries with
 * back-off, and records NotificationSent / NotificationFailed on the case.
 */
describe('decision letters and notifications over SMTP', () => {
  let api: ApiHarness;
  let smtp: SmtpSink;
  let letters: LetterStore;
  let store: EventStore;
  let manager: DecisionLettersProcessManager;
  let sender: NotificationSender;
  let lead: string;

  beforeAll(async () => {
    api = await startApi();
    api.clock.set(when.now);
    smtp = await startSmtpSink();
    store = api.app.get<EventStore>(EVENT_STORE);
    const schemas = api.app.get(EventSchemaRegistry);
    letters = new LetterStore(join(api.config.dataDir, `letters-${process.pid}.db`));
    manager = new DecisionLettersProcessManager({
      store,
      schemas,
      personalData: api.app.get<PersonalDataProtector>(PERSONAL_DATA),
      letters,
      clock: api.clock,
      organisationMailbox: (id) => MAILBOXES[id],
      messageIdDomain: 'letters.harbour.test',
    });
    sender = new NotificationSender(
      {
        store,
        schemas,
        letters,
        clock: api.clock,
        transport: smtpTransport({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'decisions@harbour.test' }),
      },
      { maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 600_000 },
    );
    lead = await api.token('lead', { userId: 'lead-1' });
  });
  afterAll(async () => {
    letters.close();
    await smtp.close();
    await api.close();
  });

  async function caseWith(contact: Record<string, unknown>, outcome: 'positive' | 'negative') {
    const body = referral();
    const subject = body.subject as Record<string, unknown>;
    const raised = await api.request('POST', '/cases', {
      token: lead,
      body: { ...body, subject: { ...subject, contact } },
      headers: { 'x-occurred-at': when.raised },
    });
    expect(raised.status).toBe(201);
    const caseId = String(raised.body.caseId);
    const support = await api.request('POST', `/cases/${caseId}/immediate-support`, {
      token: lead,
      body: { kinds: ['accommodation'], provider: 'salvation-army' },
      headers: { 'x-occurred-at': when.raised },
    });
    expect(support.status).toBe(200);
    const assessed = await api.request('POST', `/cases/${caseId}/lead-assessment`, {
      token: lead,
      body: assessment(outcome),
      headers: { 'x-occurred-at': when.assessed },
    });
    expect(assessed.status).toBe(200);
    return caseId;
  }

  const correspondence = async (caseId: string) =>
    (await collect(store.readStream(`correspondence-${caseId}`))).map((event) => ({
      type: event.type,
      data: event.data as Record<string, unknown>,
    }));

  it('makes a letter per decision and delivers it by email to the recipients, read back from the server', async () => {
    const emailable = await caseWith(
      { email: 'person.alpha@example.org', safeToEmail: true, safeToPost: false },
      'positive',
    );
    const postOnly = await caseWith(
      { email: 'unsafe@example.org', postalAddress: '1 Safe House, Exeter', safeToEmail: false, safeToPost: true },
      'negative',
    );

    expect(await manager.tick()).toEqual({ letters: 2, messages: 6 });
    // Run again: nothing new (the checkpoint moved with the letters, in one transaction).
    expect(await manager.tick()).toEqual({ letters: 0, messages: 0 });
    expect(await sender.tick()).toEqual({ sent: 5, retried: 0, failed: 0 });

    const [issued] = (await correspondence(emailable)).filter((event) => event.type === 'DecisionLetterIssued');
    expect(issued.data).toMatchObject({
      decisionKind: 'lead-assessment',
      outcome: 'positive',
      template: { id: 'decision-letter', version: 1 },
      recipients: [
        { recipient: 'person', channel: 'email' },
        { recipient: 'first-responder', channel: 'email' },
        { recipient: 'support-provider', channel: 'email' },
      ],
    });
    const toPerson = [...smtp.mailbox.values()].filter((mail) => mail.to === 'person.alpha@example.org');
    expect(toPerson).toHaveLength(1);
    const pdf = toPerson[0].parsed.attachments.find((attachment) => attachment.contentType === 'application/pdf');
    expect(pdf).toBeDefined();
    expect(pdf!.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(pdf!.content).digest('hex')).toBe(issued.data.pdfSha256);
    expect(createHash('sha256').update(String(toPerson[0].parsed.html)).digest('hex')).toBe(issued.data.htmlSha256);

    // The person who marked email unsafe gets no email, however an address is on file; post instead.
    expect([...smtp.mailbox.values()].some((mail) => mail.to === 'unsafe@example.org')).toBe(false);
    const [negative] = (await correspondence(postOnly)).filter((event) => event.type === 'DecisionLetterIssued');
    expect(negative.data.recipients).toContainEqual({ recipient: 'person', channel: 'post' });
    // A negative decision is disclosed with its reasons.
    const toResponder = [...smtp.mailbox.values()].find(
      (mail) => mail.to === MAILBOXES['dorset-police'] && String(mail.parsed.subject).includes(postOnly),
    );
    expect(String(toResponder?.parsed.html)).toContain('Reasons: ' + assessment('negative').rationale);

    // Every email sent is on the case, once, with its Message-ID.
    const sent = (await correspondence(emailable)).filter((event) => event.type === 'NotificationSent');
    expect(sent.map((event) => event.data.recipient).sort()).toEqual(['first-responder', 'person', 'support-provider']);
    for (const event of sent) expect(smtp.mailbox.has(String(event.data.messageId))).toBe(true);
  });

  it('retries a refused message with back-off, and records a permanent refusal as NotificationFailed', async () => {
    let greylisted = false;
    smtp.refuse = (to) => {
      if (to === 'grey@example.org' && !greylisted) {
        greylisted = true;
        return { code: 451, message: 'Try again later' };
      }
      if (to === 'nobody@example.org') return { code: 550, message: 'No such mailbox' };
      return undefined;
    };
    const grey = await caseWith({ email: 'grey@example.org', safeToEmail: true, safeToPost: false }, 'positive');
    const gone = await caseWith({ email: 'nobody@example.org', safeToEmail: true, safeToPost: false }, 'positive');
    await manager.tick();
    expect(await sender.tick()).toMatchObject({ retried: 1, failed: 1 });
    // Not yet due: the back-off holds it.
    expect(await sender.tick()).toMatchObject({ sent: 0, retried: 0 });
    api.clock.advance(60_000);
    expect(await sender.tick()).toMatchObject({ sent: 1 });
    const greyEvents = await correspondence(grey);
    expect(greyEvents.find((e) => e.type === 'NotificationSent' && e.data.recipient === 'person')?.data).toMatchObject({
      attempts: 2,
    });
    const failed = (await correspondence(gone)).find((e) => e.type === 'NotificationFailed');
    expect(failed?.data).toMatchObject({ recipient: 'person', attempts: 1 });
    expect(String(failed?.data.error)).toContain('550');
    expect(String(failed?.data.error)).not.toContain('nobody@example.org');
    smtp.refuse = () => undefined;
  });
});

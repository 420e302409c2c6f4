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

describe('decision letters made and sent by the API itself', () => {
  let api: ApiHarness;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    api = await startApi({
      env: {
        HARBOUR_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        HARBOUR_LETTERS_INTERVAL_MS: '50',
        HARBOUR_ORGANISATION_MAILBOXES: 'dorset-police=modern-slavery@dorset-police.example',
      },
    });
    api.clock.set(when.now);
  });
  afterAll(async () => {
    await api.close();
    await smtp.close();
  });

  it('lists a case letter with its messages, serves the PDF to case readers only, and logs the read', async () => {
    const lead = await api.token('lead', { userId: 'lead-1' });
    const body = referral();
    const raised = await api.request('POST', '/cases', {
      token: lead,
      body: {
        ...body,
        subject: {
          ...(body.subject as object),
          contact: { email: 'p@example.org', safeToEmail: true, safeToPost: false },
        },
      },
      headers: { 'x-occurred-at': when.raised },
    });
    const caseId = String(raised.body.caseId);
    await api.request('POST', `/cases/${caseId}/lead-assessment`, {
      token: lead,
      body: assessment('negative'),
      headers: { 'x-occurred-at': when.assessed },
    });

    type Page = { items: { letterId: string; pdfSha256: string; messages: { recipient: string; status: string }[] }[] };
    let page: Page = { items: [] };
    for (let i = 0; i < 200; i += 1) {
      page = (await api.request<Page>('GET', `/cases/${caseId}/letters`, { token: lead })).body;
      if (page.items[0]?.messages.length && page.items[0].messages.every((m) => m.status === 'sent')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(page.items).toHaveLength(1);
    expect(page.items[0].messages.map((m) => [m.recipient, m.status]).sort()).toEqual([
      ['first-responder', 'sent'],
      ['person', 'sent'],
    ]);
    expect([...smtp.mailbox.values()].map((mail) => mail.to).sort()).toEqual([
      'modern-slavery@dorset-police.example',
      'p@example.org',
    ]);

    const response = await api.request('GET', `/cases/${caseId}/letters/${page.items[0].letterId}`, { token: lead });
    expect(response.status).toBe(200);
    const pdf = Buffer.from(String(response.body.pdfBase64), 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(page.items[0].pdfSha256);

    const elsewhere = await api.token('lead', { userId: 'lead-9', region: 'west-yorkshire' });
    expect(
      (await api.request('GET', `/cases/${caseId}/letters/${page.items[0].letterId}`, { token: elsewhere })).status,
    ).toBe(404);
    const auditor = await api.token('auditor', { userId: 'auditor-1' });
    const log = await api.request(
      'GET',
      `/audit/access?caseId=${caseId}&from=2015-10-20T00:00:00Z&to=2015-11-10T00:00:00Z`,
      { token: auditor },
    );
    expect(JSON.stringify(log.body)).toContain('GET /cases/:caseId/letters/:letterId');
  });

  it("erases a letter's document with the person's data: the digests stay, the reasons are gone", async () => {
    const lead = await api.token('lead', { userId: 'lead-2' });
    const admin = await api.token('admin', { userId: 'admin-1' });
    const raised = await api.request('POST', '/cases', {
      token: lead,
      body: referral(),
      headers: { 'x-occurred-at': when.raised },
    });
    const caseId = String(raised.body.caseId);
    await api.request('POST', `/cases/${caseId}/lead-assessment`, {
      token: lead,
      body: assessment('negative'),
      headers: { 'x-occurred-at': when.assessed },
    });
    type Page = { items: { letterId: string; htmlSha256: string; pdfSha256: string }[] };
    const letters = async () => (await api.request<Page>('GET', `/cases/${caseId}/letters`, { token: admin })).body;
    const document = async (letterId: string) =>
      (await api.request('GET', `/cases/${caseId}/letters/${letterId}`, { token: admin })).body;
    let page: Page = { items: [] };
    for (let i = 0; i < 200 && page.items.length === 0; i += 1) {
      page = await letters();
      if (page.items.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const [letter] = page.items;
    const rationale = String(assessment('negative').rationale);
    expect(String((await document(letter.letterId)).html)).toContain(rationale);

    const subjectId = (await api.app.get<PersonalDataProtector>(PERSONAL_DATA).subjectOf(`case-${caseId}`))!;
    const erased = await api.request('POST', `/subjects/${subjectId}/erasure`, {
      token: admin,
      body: { reason: 'Request ER-7.' },
    });
    expect(erased.status).toBe(200);
    let after = await document(letter.letterId);
    for (let i = 0; i < 200 && String(after.html).includes(rationale); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await document(letter.letterId);
    }
    expect({ html: after.html, pdfBase64: after.pdfBase64 }).toEqual({ html: '[erased]', pdfBase64: '' });
    // What was sent can still be proved against the digests DecisionLetterIssued recorded.
    expect((await letters()).items).toEqual([
      expect.objectContaining({
        letterId: letter.letterId,
        htmlSha256: letter.htmlSha256,
        pdfSha256: letter.pdfSha256,
      }),
    ]);
  });
});

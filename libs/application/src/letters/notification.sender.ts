import { createTransport } from 'nodemailer';
import type { EventStore } from '@harbour/event-store';
import type { EventSchemaRegistry } from '../event-schemas/event-schema-registry';
import type { Clock } from '../ports/clock.port';
import { recordCorrespondence } from './correspondence.writer';
import type { LetterStore, OutboxMessage } from './letter.store';

/** One email as the transport sends it. */
export interface OutgoingMail {
  readonly messageId: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly pdf: Buffer;
}

/** The narrow port the sender sends through. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** An error the mail server gave: 5xx is permanent (no retry), anything else is retried. */
interface SmtpError {
  readonly responseCode?: number;
  readonly message?: string;
}

/** Sends over SMTP with nodemailer, with the Message-ID given (so a resend is recognisably the same). */
export function smtpTransport(options: { host: string; port: number; secure: boolean; from: string }): MailTransport {
  const transporter = createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure,
    // A test or relay without TLS on a local port; production sets secure or a STARTTLS relay.
    ignoreTLS: !options.secure && (options.host === '127.0.0.1' || options.host === 'localhost'),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      await transporter.sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        attachments: [{ filename: 'decision-letter.pdf', content: mail.pdf, contentType: 'application/pdf' }],
      });
    },
    close() {
      transporter.close();
    },
  };
}

export interface NotificationSenderDeps {
  readonly store: EventStore;
  readonly schemas: EventSchemaRegistry;
  readonly letters: LetterStore;
  readonly transport: MailTransport;
  readonly clock: Clock;
}

export interface RetryPolicy {
  /** Attempts before a message fails for good. */
  readonly maxAttempts: number;
  /** Wait after the first failure; doubled after each further one. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 30_000, maxDelayMs: 3_600_000 };

/** What one pass did. */
export interface SendTick {
  readonly sent: number;
  readonly retried: number;
  readonly failed: number;
}

/**
 * Sends the outbox: each due message once per attempt, in order; `sent` is committed as soon as
 * the server accepts it, then `NotificationSent` is recorded on the case's correspondence stream
 * (idempotently, by the notification id). A process killed after the server accepted a message
 * and before the commit sends it again on restart with the same Message-ID, which the receiving
 * side recognises as the same message; nothing is ever lost. Failures back off exponentially;
 * a permanent refusal (5xx) or the last attempt records `NotificationFailed`.
 */
export class NotificationSender {
  constructor(
    private readonly deps: NotificationSenderDeps,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {}

  async tick(batchSize = 50): Promise<SendTick> {
    await this.recordOutstanding();
    let sent = 0;
    let retried = 0;
    let failed = 0;
    for (const message of this.deps.letters.due(this.deps.clock.now().toISOString(), batchSize)) {
      const outcome = await this.sendOne(message);
      if (outcome === 'sent') sent += 1;
      else if (outcome === 'retry') retried += 1;
      else failed += 1;
    }
    await this.recordOutstanding();
    return { sent, retried, failed };
  }

  private async sendOne(message: OutboxMessage): Promise<'sent' | 'retry' | 'failed'> {
    const letter = this.deps.letters.letter(message.letterId);
    const attempts = message.attempts + 1;
    const now = () => this.deps.clock.now().toISOString();
    if (!letter || !message.address) {
      this.deps.letters.markFailed(message.notificationId, attempts, now(), 'no letter or address to send');
      return 'failed';
    }
    try {
      await this.deps.transport.send({
        messageId: message.messageId,
        to: message.address,
        subject: `Decision on case ${letter.caseId}`,
        text: letter.html
          .replace(/<[^>]+>/g, '')
          .replace(/\n{2,}/g, '\n')
          .trim(),
        html: letter.html,
        pdf: letter.pdf,
      });
    } catch (error) {
      const smtp = error as SmtpError;
      const permanent = typeof smtp.responseCode === 'number' && smtp.responseCode >= 500;
      const reason = describe(smtp, message.address);
      if (permanent || attempts >= this.policy.maxAttempts) {
        this.deps.letters.markFailed(message.notificationId, attempts, now(), reason);
        return 'failed';
      }
      const delay = Math.min(this.policy.baseDelayMs * 2 ** (attempts - 1), this.policy.maxDelayMs);
      this.deps.letters.markRetry(
        message.notificationId,
        attempts,
        new Date(this.deps.clock.now().getTime() + delay).toISOString(),
        reason,
      );
      return 'retry';
    }
    this.deps.letters.markSent(message.notificationId, attempts, now());
    return 'sent';
  }

  /** Records on the case every message sent or failed whose event is not there yet. */
  private async recordOutstanding(): Promise<void> {
    for (const message of this.deps.letters.unrecorded(500)) {
      const at = message.doneAt ?? this.deps.clock.now().toISOString();
      const base = {
        caseId: message.caseId,
        letterId: message.letterId,
        notificationId: message.notificationId,
        messageId: message.messageId,
        recipient: message.recipient,
      };
      await recordCorrespondence(
        this.deps,
        message.caseId,
        message.status === 'sent'
          ? { type: 'NotificationSent', data: { ...base, sentAt: at, attempts: Math.max(1, message.attempts) } }
          : {
              type: 'NotificationFailed',
              data: {
                ...base,
                failedAt: at,
                attempts: Math.max(1, message.attempts),
                error: (message.lastError ?? 'failed').slice(0, 1000),
              },
            },
        `notification:${message.notificationId}:${message.status}`,
        at,
      );
      this.deps.letters.markRecorded(message.notificationId);
    }
  }
}

// What the server said, without the address (it is personal data and must not reach the case).
function describe(error: SmtpError, address: string): string {
  const text = `${error.responseCode ?? ''} ${error.message ?? String(error)}`.trim();
  return text.split(address).join('[address]').slice(0, 1000);
}

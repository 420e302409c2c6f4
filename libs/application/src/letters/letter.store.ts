import Database from 'better-sqlite3';
import type { LetterChannel, LetterRecipient } from '@harbour/domain';

/** A stored letter: its documents and digests. */
export interface StoredLetter {
  readonly letterId: string;
  readonly caseId: string;
  readonly decisionId: string;
  readonly templateVersion: number;
  readonly issuedAt: string;
  readonly html: string;
  readonly pdf: Buffer;
  readonly htmlSha256: string;
  readonly pdfSha256: string;
}

/** One message to send: a letter to one recipient. */
export interface OutboxMessage {
  readonly notificationId: string;
  readonly letterId: string;
  readonly caseId: string;
  readonly recipient: LetterRecipient;
  readonly channel: LetterChannel;
  /** Only while the message is pending: cleared once it is sent or has failed for good. */
  readonly address: string | null;
  readonly messageId: string;
  readonly status: 'pending' | 'sent' | 'failed';
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
  readonly doneAt: string | null;
}

interface OutboxRow {
  notification_id: string;
  letter_id: string;
  case_id: string;
  recipient: LetterRecipient;
  channel: LetterChannel;
  address: string | null;
  message_id: string;
  status: OutboxMessage['status'];
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  done_at: string | null;
}

/**
 * Letters and the transactional outbox, in one SQLite file: a letter, its messages and the
 * process manager's checkpoint are written in one transaction, so a decision is turned into
 * messages exactly once however the process dies. The sender moves each message from `pending`
 * to `sent` or `failed` and, separately, marks it `recorded` once `NotificationSent` or
 * `NotificationFailed` is on the case's correspondence stream.
 */
export class LetterStore {
  private readonly db: Database.Database;

  constructor(filename: string) {
    this.db = new Database(filename);
    if (filename !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS letters (
        letter_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, decision_id TEXT NOT NULL,
        template_version INTEGER NOT NULL, issued_at TEXT NOT NULL, html TEXT NOT NULL, pdf BLOB NOT NULL,
        html_sha256 TEXT NOT NULL, pdf_sha256 TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS letters_by_case ON letters (case_id);
      CREATE TABLE IF NOT EXISTS outbox (
        notification_id TEXT PRIMARY KEY, letter_id TEXT NOT NULL, case_id TEXT NOT NULL,
        recipient TEXT NOT NULL, channel TEXT NOT NULL, address TEXT, message_id TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT NOT NULL,
        last_error TEXT, done_at TEXT, recorded INTEGER NOT NULL DEFAULT 0);
      CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, next_attempt_at);
      CREATE TABLE IF NOT EXISTS letter_checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL);
    `);
  }

  /** The position the process manager has handled up to (-1: nothing yet). */
  checkpoint(name: string): bigint {
    const row = this.db.prepare('SELECT position FROM letter_checkpoints WHERE name = ?').get(name) as
      { position: string } | undefined;
    return row ? BigInt(row.position) : -1n;
  }

  /** Stores a letter and queues its messages, moving the checkpoint, in one transaction. */
  saveLetter(
    letter: StoredLetter | null,
    messages: readonly Omit<OutboxMessage, 'status' | 'attempts' | 'lastError' | 'doneAt'>[],
    checkpoint: { name: string; position: bigint },
  ): void {
    this.db.transaction(() => {
      if (letter) {
        this.db
          .prepare(
            `INSERT OR IGNORE INTO letters VALUES (@letterId, @caseId, @decisionId, @templateVersion, @issuedAt, @html, @pdf, @htmlSha256, @pdfSha256)`,
          )
          .run(letter);
      }
      const insert = this.db.prepare(
        `INSERT OR IGNORE INTO outbox (notification_id, letter_id, case_id, recipient, channel, address, message_id, status, next_attempt_at)
         VALUES (@notificationId, @letterId, @caseId, @recipient, @channel, @address, @messageId, 'pending', @nextAttemptAt)`,
      );
      for (const message of messages) insert.run(message);
      this.db
        .prepare(
          'INSERT INTO letter_checkpoints VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
        )
        .run(checkpoint.name, checkpoint.position.toString());
    })();
  }

  /**
   * A subject's data was erased: their cases' letters keep their digests (what was sent can still
   * be proved) but lose the documents, which quote the decision's reasons, and messages not yet
   * sent fail with their addresses cleared. Moves the checkpoint in the same transaction.
   */
  eraseCases(caseIds: readonly string[], at: string, checkpoint: { name: string; position: bigint }): void {
    this.db.transaction(() => {
      const letters = this.db.prepare(`UPDATE letters SET html = '[erased]', pdf = ? WHERE case_id = ?`);
      const messages = this.db.prepare(
        `UPDATE outbox SET status = 'failed', done_at = ?, last_error = 'subject data erased', address = NULL
         WHERE case_id = ? AND status = 'pending'`,
      );
      for (const caseId of caseIds) {
        letters.run(Buffer.alloc(0), caseId);
        messages.run(at, caseId);
      }
      this.db
        .prepare(
          'INSERT INTO letter_checkpoints VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
        )
        .run(checkpoint.name, checkpoint.position.toString());
    })();
  }

  /** Pending email messages due by `now`, oldest first. */
  due(now: string, limit: number): OutboxMessage[] {
    return (
      this.db
        .prepare(
          `SELECT * FROM outbox WHERE status = 'pending' AND channel = 'email' AND next_attempt_at <= ? ORDER BY next_attempt_at, notification_id LIMIT ?`,
        )
        .all(now, limit) as OutboxRow[]
    ).map(toMessage);
  }

  /** Messages sent or failed whose event is not yet on the case's correspondence stream. */
  unrecorded(limit: number): OutboxMessage[] {
    return (
      this.db
        .prepare(`SELECT * FROM outbox WHERE status <> 'pending' AND recorded = 0 ORDER BY done_at LIMIT ?`)
        .all(limit) as OutboxRow[]
    ).map(toMessage);
  }

  markSent(notificationId: string, attempts: number, at: string): void {
    this.db
      .prepare(
        `UPDATE outbox SET status = 'sent', attempts = ?, done_at = ?, address = NULL, last_error = NULL WHERE notification_id = ?`,
      )
      .run(attempts, at, notificationId);
  }

  markRetry(notificationId: string, attempts: number, nextAttemptAt: string, error: string): void {
    this.db
      .prepare(`UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE notification_id = ?`)
      .run(attempts, nextAttemptAt, error, notificationId);
  }

  markFailed(notificationId: string, attempts: number, at: string, error: string): void {
    this.db
      .prepare(
        `UPDATE outbox SET status = 'failed', attempts = ?, done_at = ?, last_error = ?, address = NULL WHERE notification_id = ?`,
      )
      .run(attempts, at, error, notificationId);
  }

  markRecorded(notificationId: string): void {
    this.db.prepare('UPDATE outbox SET recorded = 1 WHERE notification_id = ?').run(notificationId);
  }

  letter(letterId: string): StoredLetter | undefined {
    const row = this.db.prepare('SELECT * FROM letters WHERE letter_id = ?').get(letterId) as
      Record<string, unknown> | undefined;
    return row === undefined ? undefined : toLetter(row);
  }

  lettersOfCase(caseId: string): StoredLetter[] {
    return (
      this.db.prepare('SELECT * FROM letters WHERE case_id = ? ORDER BY issued_at').all(caseId) as Record<
        string,
        unknown
      >[]
    ).map(toLetter);
  }

  messagesOf(letterId: string): OutboxMessage[] {
    return (
      this.db.prepare('SELECT * FROM outbox WHERE letter_id = ? ORDER BY recipient').all(letterId) as OutboxRow[]
    ).map(toMessage);
  }

  /** Counts by status, for tests and operations. */
  counts(): Record<OutboxMessage['status'], number> {
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all() as {
      status: OutboxMessage['status'];
      n: number;
    }[];
    const counts = { pending: 0, sent: 0, failed: 0 };
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  close(): void {
    this.db.close();
  }
}

function toMessage(row: OutboxRow): OutboxMessage {
  return {
    notificationId: row.notification_id,
    letterId: row.letter_id,
    caseId: row.case_id,
    recipient: row.recipient,
    channel: row.channel,
    address: row.address,
    messageId: row.message_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    doneAt: row.done_at,
  };
}

function toLetter(row: Record<string, unknown>): StoredLetter {
  return {
    letterId: String(row.letter_id),
    caseId: String(row.case_id),
    decisionId: String(row.decision_id),
    templateVersion: Number(row.template_version),
    issuedAt: String(row.issued_at),
    html: String(row.html),
    pdf: row.pdf as Buffer,
    htmlSha256: String(row.html_sha256),
    pdfSha256: String(row.pdf_sha256),
  };
}

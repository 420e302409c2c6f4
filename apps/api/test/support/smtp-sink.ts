import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as the test SMTP server accepted it, parsed back. */
export interface Delivered {
  readonly messageId: string;
  readonly to: string;
  readonly parsed: ParsedMail;
}

/**
 * A real SMTP server (the `smtp-server` package) on a local port, started by the test: it keeps
 * every message it accepted (`transmissions`) and a mailbox keyed by Message-ID, as a receiving
 * system that recognises a resent message would.
 */
export interface SmtpSink {
  readonly port: number;
  readonly transmissions: Delivered[];
  /** One entry per Message-ID. */
  readonly mailbox: Map<string, Delivered>;
  /** Decide per recipient whether to refuse (e.g. 451 once, or 550). */
  refuse: (to: string) => { code: number; message: string } | undefined;
  /** Called when a message has been read, before the server answers 250. */
  onMessage: (count: number) => void;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const sink = {
    port: 0,
    transmissions: [] as Delivered[],
    mailbox: new Map<string, Delivered>(),
    refuse: (() => undefined) as SmtpSink['refuse'],
    onMessage: (() => undefined) as SmtpSink['onMessage'],
    close: (): Promise<void> => Promise.resolve(),
  };
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = sink.refuse(address.address);
      if (refusal) {
        const error = new Error(refusal.message) as Error & { responseCode: number };
        error.responseCode = refusal.code;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const delivered = {
            messageId: parsed.messageId ?? '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address).join(','),
            parsed,
          };
          sink.transmissions.push(delivered);
          if (!sink.mailbox.has(delivered.messageId)) sink.mailbox.set(delivered.messageId, delivered);
          sink.onMessage(sink.transmissions.length);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  sink.port = typeof address === 'object' && address ? address.port : 0;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink as SmtpSink;
}

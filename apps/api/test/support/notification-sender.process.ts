/**
 * The notification sender on its own, as a process a test can kill: sends the outbox in
 * `HARBOUR_TEST_LETTERS` over SMTP on 127.0.0.1:`HARBOUR_TEST_SMTP_PORT`, recording on the event
 * store in `HARBOUR_TEST_EVENTS`, until nothing is pending; then prints `done`.
 */
import { EventSchemaRegistry, LetterStore, NotificationSender, smtpTransport, systemClock } from '@harbour/application';
import { SqliteEventStore } from '@harbour/event-store';

async function main(): Promise<void> {
  const store = new SqliteEventStore({ filename: String(process.env.HARBOUR_TEST_EVENTS) });
  const letters = new LetterStore(String(process.env.HARBOUR_TEST_LETTERS));
  const transport = smtpTransport({
    host: '127.0.0.1',
    port: Number(process.env.HARBOUR_TEST_SMTP_PORT),
    secure: false,
    from: 'decisions@harbour.test',
  });
  const sender = new NotificationSender(
    { store, schemas: new EventSchemaRegistry(), letters, transport, clock: systemClock },
    { maxAttempts: 20, baseDelayMs: 10, maxDelayMs: 200 },
  );
  process.stdout.write('started\n');
  for (;;) {
    await sender.tick(5);
    const counts = letters.counts();
    if (counts.pending === 0 && letters.unrecorded(1).length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  transport.close();
  letters.close();
  await store.close();
  process.stdout.write('done\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

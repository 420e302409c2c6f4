import { join } from 'node:path';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  CLOCK,
  DecisionLettersProcessManager,
  EventSchemaRegistry,
  LetterStore,
  NotificationSender,
  PERSONAL_DATA,
  smtpTransport,
  type Clock,
  type MailTransport,
} from '@harbour/application';
import { EVENT_STORE, type EventStore } from '@harbour/event-store';
import type { PersonalDataProtector } from '@harbour/privacy';
import { API_CONFIG, type ApiConfig } from '../api.config';

/** DI token of the letters store (`letters.db` in the data dir). */
export const LETTER_STORE = Symbol('LETTER_STORE');

export const LETTER_STORE_PROVIDER = {
  provide: LETTER_STORE,
  useFactory: (config: ApiConfig) => new LetterStore(join(config.dataDir, 'letters.db')),
  inject: [API_CONFIG],
};

/**
 * Runs the decision letters process manager and, when a mail server is configured, the sender,
 * in-process (embedded mode): one poll every `HARBOUR_LETTERS_INTERVAL_MS`.
 */
@Injectable()
export class LettersHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Letters');
  private readonly manager: DecisionLettersProcessManager;
  private readonly sender: NotificationSender | undefined;
  private readonly transport: MailTransport | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(CLOCK) clock: Clock,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PERSONAL_DATA) personalData: PersonalDataProtector,
    @Inject(LETTER_STORE) private readonly letters: LetterStore,
    schemas: EventSchemaRegistry,
  ) {
    const { letters: settings } = config;
    this.manager = new DecisionLettersProcessManager({
      store,
      schemas,
      personalData,
      letters,
      clock,
      organisationMailbox: (id) => settings.organisationMailboxes[id],
      messageIdDomain: settings.messageIdDomain,
    });
    if (settings.smtp) {
      this.transport = smtpTransport({ ...settings.smtp, from: settings.from });
      this.sender = new NotificationSender({ store, schemas, letters, clock, transport: this.transport });
    }
  }

  onApplicationBootstrap(): void {
    // With an external projector (distributed mode) the letters run there, not in every API replica.
    if (this.config.projector !== 'in-process') return;
    if (!this.config.letters.smtp) this.logger.warn('No HARBOUR_SMTP_URL: letters are made and queued, not sent');
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.running = this.poll()
        .catch((error: unknown) =>
          this.logger.error({
            msg: 'letters poll failed',
            error: error instanceof Error ? error.message : String(error),
          }),
        )
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.config.letters.intervalMs);
        });
    };
    loop();
  }

  async poll(): Promise<void> {
    await this.manager.tick();
    if (this.sender) await this.sender.tick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.transport?.close();
    this.letters.close();
  }
}

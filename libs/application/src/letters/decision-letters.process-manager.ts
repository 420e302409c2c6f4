import { createHash } from 'node:crypto';
import {
  DECISION_LETTER_RECIPIENTS,
  DECISION_LETTER_TEMPLATE,
  caseStreamName,
  decodeEvent,
  letterNeedsReasons,
  renderDecisionLetterHtml,
  type CaseEvent,
  type DecisionLetterFacts,
  type LetterChannel,
  type LetterDecisionKind,
  type LetterOutcome,
  type LetterRecipient,
} from '@harbour/domain';
import { StreamNotFoundError, type EventStore, type RecordedEvent } from '@harbour/event-store';
import type { PersonalDataProtector } from '@harbour/privacy';
import { uuidFromName } from '@harbour/shared';
import type { EventSchemaRegistry } from '../event-schemas/event-schema-registry';
import type { Clock } from '../ports/clock.port';
import { recordCorrespondence } from './correspondence.writer';
import { renderDecisionLetterPdf } from './decision-letter.pdf';
import type { LetterStore, OutboxMessage } from './letter.store';

/** The decisions a letter is made for. */
export const LETTER_EVENT_TYPES = [
  'LeadAssessmentRecorded',
  'ReasonableGroundsDecisionMade',
  'DecisionRecorded',
  'SecondReviewCompleted',
] as const;

const CHECKPOINT = 'decision-letters';

export interface DecisionLettersDeps {
  readonly store: EventStore;
  readonly schemas: EventSchemaRegistry;
  readonly personalData: PersonalDataProtector;
  readonly letters: LetterStore;
  readonly clock: Clock;
  /** The mailbox an organisation (registry id) receives decision letters at, if any. */
  readonly organisationMailbox: (organisationId: string) => string | undefined;
  /** The domain of idempotent Message-IDs (`<notificationId@domain>`). */
  readonly messageIdDomain: string;
}

/** What one batch did. */
export interface LettersTick {
  readonly letters: number;
  readonly messages: number;
}

/**
 * The decision letters process manager: reads decisions from the event store after its
 * checkpoint, makes each a letter from the versioned template (HTML and PDF), records
 * `DecisionLetterIssued` with the documents' digests on the case's correspondence stream, then
 * stores the letter, queues one message per recipient and moves the checkpoint in one
 * transaction. Dying at any point repeats at most the work after the last commit, and the
 * repeat is idempotent (derived ids, deterministic documents, INSERT OR IGNORE).
 */
export class DecisionLettersProcessManager {
  constructor(private readonly deps: DecisionLettersDeps) {}

  async tick(batchSize = 100): Promise<LettersTick> {
    const from = this.deps.letters.checkpoint(CHECKPOINT);
    let letters = 0;
    let messages = 0;
    for await (const stored of this.deps.store.readAll({
      fromPosition: from < 0n ? 'start' : from + 1n,
      maxCount: batchSize,
      filter: { eventTypes: [...LETTER_EVENT_TYPES, 'SubjectDataErased'] },
    })) {
      if (stored.position <= from) continue;
      if (stored.type === 'SubjectDataErased') {
        // Erasure reaches the letters too: they quote the decision's reasons in the clear.
        const { caseIds } = stored.data as { caseIds?: readonly string[] };
        this.deps.letters.eraseCases(caseIds ?? [], this.deps.clock.now().toISOString(), {
          name: CHECKPOINT,
          position: stored.position,
        });
        continue;
      }
      const made = await this.letterFor(stored);
      this.deps.letters.saveLetter(made?.letter ?? null, made?.messages ?? [], {
        name: CHECKPOINT,
        position: stored.position,
      });
      if (made) {
        letters += 1;
        messages += made.messages.length;
      }
    }
    return { letters, messages };
  }

  private async letterFor(stored: RecordedEvent) {
    const cache = new Map();
    const decision = decodeEvent<CaseEvent>(await this.deps.personalData.open(stored, cache));
    const facts = decisionFacts(decision);
    if (!facts) return undefined;
    const caseId = String((stored.data as { caseId?: unknown }).caseId ?? stored.stream.replace(/^case-/, ''));
    const parties = await this.partiesOf(caseId, cache);
    const letterId = uuidFromName(`letter:${caseId}:${facts.kind}:${facts.decisionId}`);
    const issuedAt = facts.decidedAt;
    const letterFacts: DecisionLetterFacts = {
      caseReference: caseId,
      decisionKind: facts.kind,
      outcome: facts.outcome,
      decidedAt: facts.decidedAt,
      reasons: letterNeedsReasons(facts.outcome) ? facts.rationale : null,
      decidedBy: facts.decidedBy,
      guidanceVersion: facts.guidanceVersion,
    };
    const html = renderDecisionLetterHtml(letterFacts);
    const pdf = await renderDecisionLetterPdf(letterFacts, issuedAt);
    const recipients = addressed(parties);
    const htmlSha256 = sha256(html);
    const pdfSha256 = sha256(pdf);
    await recordCorrespondence(
      this.deps,
      caseId,
      {
        type: 'DecisionLetterIssued',
        data: {
          caseId,
          letterId,
          decisionId: facts.decisionId,
          decisionKind: facts.kind,
          outcome: facts.outcome,
          template: { id: DECISION_LETTER_TEMPLATE.id, version: DECISION_LETTER_TEMPLATE.version },
          issuedAt,
          htmlSha256,
          pdfSha256,
          recipients: recipients.map(({ recipient, channel }) => ({ recipient, channel })),
        },
      },
      `letter:${letterId}`,
      issuedAt,
    );
    const now = this.deps.clock.now().toISOString();
    const messages: Omit<OutboxMessage, 'status' | 'attempts' | 'lastError' | 'doneAt'>[] = recipients
      .filter((entry) => entry.channel !== 'withheld')
      .map((entry) => {
        const notificationId = uuidFromName(`notification:${letterId}:${entry.recipient}`);
        return {
          notificationId,
          letterId,
          caseId,
          recipient: entry.recipient,
          channel: entry.channel,
          address: entry.address,
          messageId: `<${notificationId}@${this.deps.messageIdDomain}>`,
          nextAttemptAt: now,
        };
      });
    return {
      letter: {
        letterId,
        caseId,
        decisionId: facts.decisionId,
        templateVersion: DECISION_LETTER_TEMPLATE.version,
        issuedAt,
        html,
        pdf,
        htmlSha256,
        pdfSha256,
      },
      messages,
    };
  }

  private async partiesOf(caseId: string, cache: Map<unknown, unknown>): Promise<Parties> {
    const parties: Parties = {
      child: true,
      person: null,
      localAuthorityEmail: null,
      firstResponder: null,
      supportProvider: null,
    };
    const mailbox = this.deps.organisationMailbox;
    try {
      for await (const stored of this.deps.store.readStream(caseStreamName(caseId))) {
        const event = decodeEvent<CaseEvent>(await this.deps.personalData.open(stored, cache as never));
        if (event.type === 'ReferralRaised') {
          const contact = event.data.subject.contact;
          parties.child = event.data.ageGroup !== 'adult';
          parties.person = {
            email: contact.safeToEmail && isEmail(contact.email) ? (contact.email ?? null) : null,
            post:
              contact.safeToPost && typeof contact.postalAddress === 'string' && contact.postalAddress !== '[erased]'
                ? contact.postalAddress
                : null,
          };
          parties.localAuthorityEmail = isEmail(event.data.localAuthorityContact?.email)
            ? (event.data.localAuthorityContact?.email ?? null)
            : null;
          parties.firstResponder = mailbox(event.data.referringAgency) ?? null;
        } else if (event.type === 'ImmediateSupportArranged') {
          parties.supportProvider = { mailbox: mailbox(event.data.provider) ?? null };
        }
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return parties;
  }
}

interface Parties {
  child: boolean;
  /** The person's safe channels: an address only where they marked the channel safe. */
  person: { email: string | null; post: string | null } | null;
  localAuthorityEmail: string | null;
  firstResponder: string | null;
  /** Null when no support was arranged (then no letter goes to a provider). */
  supportProvider: { mailbox: string | null } | null;
}

/** Each recipient the definition names, by the channel it may be reached through safely. */
interface Addressed {
  readonly recipient: LetterRecipient;
  readonly channel: LetterChannel;
  readonly address: string | null;
}

function addressed(parties: Parties): Addressed[] {
  const names: LetterRecipient[] = [
    ...DECISION_LETTER_RECIPIENTS.always,
    ...(parties.child ? DECISION_LETTER_RECIPIENTS.forChild : []),
  ];
  return names.flatMap((recipient): Addressed[] => {
    switch (recipient) {
      case 'person':
        // Never to a channel the person did not mark safe: email first, then post, else withheld.
        if (parties.person?.email) return [{ recipient, channel: 'email' as const, address: parties.person.email }];
        if (parties.person?.post) return [{ recipient, channel: 'post' as const, address: parties.person.post }];
        return [{ recipient, channel: 'withheld' as const, address: null }];
      case 'first-responder':
        return [email(recipient, parties.firstResponder)];
      case 'support-provider':
        return parties.supportProvider ? [email(recipient, parties.supportProvider.mailbox)] : [];
      case 'local-authority':
        return [email(recipient, parties.localAuthorityEmail)];
      default:
        return [];
    }
  });
}

function email(recipient: LetterRecipient, address: string | null): Addressed {
  return address
    ? { recipient, channel: 'email' as const, address }
    : { recipient, channel: 'withheld' as const, address: null };
}

function isEmail(value: unknown): value is string {
  return typeof value === 'string' && /^[^\s@]+@[^\s@]+$/.test(value);
}

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

interface DecisionFacts {
  readonly kind: LetterDecisionKind;
  readonly decisionId: string;
  readonly outcome: LetterOutcome;
  readonly decidedAt: string;
  readonly rationale: string;
  readonly decidedBy: string;
  readonly guidanceVersion: string | null;
}

function decisionFacts(event: CaseEvent): DecisionFacts | undefined {
  switch (event.type) {
    case 'LeadAssessmentRecorded':
      return {
        kind: 'lead-assessment',
        decisionId: event.data.assessmentId,
        outcome: event.data.outcome,
        decidedAt: event.data.assessedAt,
        rationale: event.data.rationale,
        decidedBy: 'the Slavery Safeguarding Lead',
        guidanceVersion: event.data.guidanceVersion,
      };
    case 'ReasonableGroundsDecisionMade':
      return {
        kind: 'reasonable-grounds',
        decisionId: event.data.decisionId,
        outcome: event.data.outcome,
        decidedAt: event.data.decidedAt,
        rationale: event.data.rationale,
        decidedBy: 'the competent authority',
        guidanceVersion: null,
      };
    case 'DecisionRecorded':
      return {
        kind: 'conclusive-grounds',
        decisionId: event.data.decisionId,
        outcome: event.data.outcome,
        decidedAt: event.data.decidedAt,
        rationale: event.data.rationale,
        decidedBy:
          event.data.decidedBy.kind === 'panel'
            ? `the ${event.data.decidedBy.panelId} at its meeting ${event.data.decidedBy.meetingId}`
            : 'the competent authority',
        guidanceVersion: event.data.guidanceVersion,
      };
    case 'SecondReviewCompleted':
      return {
        kind: 'second-review',
        decisionId: event.data.reviewId,
        outcome: event.data.outcome,
        decidedAt: event.data.reviewedAt,
        rationale: event.data.rationale,
        decidedBy: 'a reviewer who took no part in the decision',
        guidanceVersion: null,
      };
    default:
      return undefined;
  }
}

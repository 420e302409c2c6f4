import type { DecisionLetterIssuedDataV1 } from '../generated/event-data';

/** Which decision a letter tells of, and its outcome. */
export type LetterDecisionKind = DecisionLetterIssuedDataV1['decisionKind'];
export type LetterOutcome = DecisionLetterIssuedDataV1['outcome'];
export type LetterRecipient = DecisionLetterIssuedDataV1['recipients'][number]['recipient'];
export type LetterChannel = DecisionLetterIssuedDataV1['recipients'][number]['channel'];

/**
 * The decision letter template. A change of wording is a new version: the version is recorded on
 * every letter (`DecisionLetterIssued.template`), so what a person was sent can be told apart.
 */
export const DECISION_LETTER_TEMPLATE = { id: 'decision-letter', version: 1 } as const;

/**
 * Who a decision letter goes to, as data: the person (by a channel they marked safe), the first
 * responder's organisation and the support provider always; the local authority too for a child
 * (or a person of unknown age). The domain brief: "notify FR/PV/support"; the form requires a
 * local authority contact for any child.
 */
export const DECISION_LETTER_RECIPIENTS = {
  always: ['person', 'first-responder', 'support-provider'],
  forChild: ['local-authority'],
} as const satisfies { always: readonly LetterRecipient[]; forChild: readonly LetterRecipient[] };

/** The facts a letter states. Reasons are given for a negative decision (disclosure rules). */
export interface DecisionLetterFacts {
  readonly caseReference: string;
  readonly decisionKind: LetterDecisionKind;
  readonly outcome: LetterOutcome;
  readonly decidedAt: string;
  /** Required for a negative or upheld-negative outcome; not disclosed for a positive one. */
  readonly reasons: string | null;
  readonly decidedBy: string;
  readonly guidanceVersion: string | null;
}

const KIND_TITLES: Record<LetterDecisionKind, string> = {
  'lead-assessment': 'Reasonable grounds assessment by the Slavery Safeguarding Lead',
  'reasonable-grounds': 'Reasonable grounds decision',
  'conclusive-grounds': 'Conclusive grounds decision',
  'second-review': 'Review of a negative decision',
};

const OUTCOME_SENTENCES: Record<LetterOutcome, string> = {
  positive: 'The decision is positive: you are recognised as a potential victim of modern slavery at this stage.',
  negative: 'The decision is negative. The reasons are set out below.',
  upheld: 'The review upheld the negative decision. The reasons are set out below.',
  overturned: 'The review overturned the negative decision: the outcome is now positive.',
};

/** Whether the letter must carry the reasons (negative decisions are disclosed with reasons). */
export function letterNeedsReasons(outcome: LetterOutcome): boolean {
  return outcome === 'negative' || outcome === 'upheld';
}

/** The paragraphs of a letter, in order: one source for the HTML and the PDF. */
export function decisionLetterParagraphs(facts: DecisionLetterFacts): { title: string; paragraphs: string[] } {
  const title = KIND_TITLES[facts.decisionKind];
  const paragraphs = [
    `Case reference: ${facts.caseReference}`,
    `Date of decision: ${facts.decidedAt.slice(0, 10)}`,
    OUTCOME_SENTENCES[facts.outcome],
    ...(letterNeedsReasons(facts.outcome) ? [`Reasons: ${facts.reasons ?? ''}`] : []),
    `Decided by: ${facts.decidedBy}${facts.guidanceVersion ? ` under ${facts.guidanceVersion}` : ''}.`,
    letterNeedsReasons(facts.outcome)
      ? 'The first responder or the support provider may ask for this decision to be reconsidered. This is not an appeal; judicial review is the legal route.'
      : 'Your support continues as your support provider has explained.',
    `Template ${DECISION_LETTER_TEMPLATE.id} v${DECISION_LETTER_TEMPLATE.version}.`,
  ];
  return { title, paragraphs };
}

/** The letter as HTML (every fact escaped). */
export function renderDecisionLetterHtml(facts: DecisionLetterFacts): string {
  const { title, paragraphs } = decisionLetterParagraphs(facts);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>' + escapeHtml(title) + '</title></head><body>',
    `<h1>${escapeHtml(title)}</h1>`,
    ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    '</body></html>',
    '',
  ].join('\n');
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// The README walk-through, written as a client of the OpenAPI document would write it: against
// the types openapi-typescript generates from the served `/docs/json` (`./harbour-api`, made by
// the test, never committed) and openapi-fetch. It is type-checked by the test under `strict`,
// and must hold no cast, no non-null assertion and no `any`: what it reads is typed by the
// document alone. tsconfig.json leaves this folder out, as `./harbour-api` exists only there.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './harbour-api';

type Problem = components['schemas']['ProblemDetails'];

export interface WalkthroughOptions {
  readonly baseUrl: string;
  readonly tokens: { readonly lead: string; readonly caseManager: string; readonly chair: string };
  /** Sees every response (the test checks each against the document). */
  readonly middleware: Middleware;
}

export interface WalkthroughResult {
  readonly caseId: string;
  /** The status `GET /cases/{caseId}` reads back at the end: `closed`. */
  readonly status: string;
  /** Every revision the commands answered with, in order. */
  readonly revisions: readonly string[];
  /** What the reads after the walk-through found, typed by the document alone. */
  readonly reads: {
    readonly fileStatus: string;
    readonly actions: number;
    readonly decisions: readonly string[];
    readonly historyTypes: readonly string[];
    readonly panelListings: number;
    readonly workflowDeadlines: readonly string[];
  };
  /** The problem details of a refused step: closing the closed case again. */
  readonly refusal: { readonly status: number; readonly rule: string | undefined; readonly type: string };
}

/** What a refused step says, for the error thrown when a step that must succeed did not. */
function refused(step: string, status: number, problem: Problem | undefined): Error {
  return new Error(`${step} was refused (${status}): ${JSON.stringify(problem)}`);
}

export async function walkThrough({ baseUrl, tokens, middleware }: WalkthroughOptions): Promise<WalkthroughResult> {
  const clientFor = (token: string) => {
    const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
    client.use(middleware);
    return client;
  };
  const lead = clientFor(tokens.lead);
  const caseManager = clientFor(tokens.caseManager);
  const chair = clientFor(tokens.chair);
  const revisions: string[] = [];
  const key = (step: string) => `walkthrough-${step}-${Date.now()}`;

  // 1. The lead raises the referral (an adult who consents) and arranges immediate support.
  const raised = await lead.POST('/cases', {
    params: { header: { 'X-Occurred-At': '2015-09-01T09:00:00Z', 'Idempotency-Key': key('raise') } },
    body: {
      firstResponderLocation: 'england',
      ageGroup: 'adult',
      ageGroupAtExploitation: 'adult',
      region: 'south-west',
      policeForceArea: 'dorset',
      referringAgency: 'Dorset Police',
      firstResponderType: 'police',
      exploitationTypes: ['labour'],
      exploitationLocation: 'uk',
      consent: { given: true, recordedAt: '2015-09-01T09:00:00Z' },
      subject: {
        name: 'Synthetic Person Alpha',
        aliases: [],
        gender: 'male',
        nationality: 'ALB',
        interpreterNeeded: true,
        language: 'sq',
        contact: { phone: '07700 900000', safeToEmail: false, safeToPost: true },
      },
      account: 'Found working at a car wash for no pay; passport held by the employer.',
    },
  });
  if (!raised.data) throw refused('Raising the referral', raised.response.status, raised.error);
  const caseId = raised.data.caseId;
  let revision = raised.data.revision;
  revisions.push(revision);
  const at = (occurredAt: string, step: string) => ({
    path: { caseId },
    header: { 'X-Occurred-At': occurredAt, 'If-Match': `"${revision}"`, 'Idempotency-Key': key(step) },
  });

  const support = await lead.POST('/cases/{caseId}/immediate-support', {
    params: at('2015-09-01T12:00:00Z', 'support'),
    body: { kinds: ['accommodation', 'medical'], provider: 'The Salvation Army' },
  });
  if (!support.data) throw refused('Arranging support', support.response.status, support.error);
  revision = support.data.revision;
  revisions.push(revision);

  // 2. The lead believes the person is a victim: the 45-day recovery period starts.
  const assessed = await lead.POST('/cases/{caseId}/lead-assessment', {
    params: at('2015-09-02T09:00:00Z', 'assessment'),
    body: { outcome: 'positive', rationale: 'Indicators of forced labour and document retention are present.' },
  });
  if (!assessed.data) throw refused('The assessment', assessed.response.status, assessed.error);
  revision = assessed.data.revision;
  revisions.push(revision);

  // 3. The case management unit lists the case for the regional panel (at least 7 days' notice).
  const listed = await caseManager.POST('/cases/{caseId}/panel-listing', {
    params: at('2015-10-01T09:00:00Z', 'listing'),
    body: {
      panelId: 'south-west-panel',
      meetingId: '6f1c2d3e-4b5a-4c6d-8e7f-1a2b3c4d5e6f',
      meetingAt: '2015-10-20T10:00:00Z',
      urgent: false,
    },
  });
  if (!listed.data) throw refused('The listing', listed.response.status, listed.error);
  revision = listed.data.revision;
  revisions.push(revision);

  // 4. The independent chair convenes the panel: five members present, none conflicted.
  const members = [
    { memberId: 'm-police', agency: 'Dorset Police', discipline: 'police' },
    { memberId: 'm-nhs', agency: 'nhs-south-west', discipline: 'health' },
    { memberId: 'm-la', agency: 'Dorset Council', discipline: 'local-authority' },
    { memberId: 'm-glaa', agency: 'GLAA', discipline: 'gangmasters-licensing-authority' },
    { memberId: 'm-ukvi', agency: 'UK Visas and Immigration', discipline: 'uk-visas-and-immigration' },
  ] as const;
  const convened = await chair.POST('/cases/{caseId}/panel-convening', {
    params: at('2015-10-20T10:00:00Z', 'convening'),
    body: {
      meetingId: '6f1c2d3e-4b5a-4c6d-8e7f-1a2b3c4d5e6f',
      chairDeclaredConflict: false,
      members: members.map((member) => ({ ...member, conflictDeclared: false })),
    },
  });
  if (!convened.data) throw refused('Convening the panel', convened.response.status, convened.error);
  revision = convened.data.revision;
  revisions.push(revision);

  // 5. The panel decides: conclusive grounds, positive, with its written rationale and votes.
  const decided = await chair.POST('/cases/{caseId}/decisions', {
    params: at('2015-10-20T12:00:00Z', 'decision'),
    body: {
      outcome: 'positive',
      evidenceReliedOn: [],
      dissent: [],
      rationale: 'On the balance of probabilities the panel finds the person was a victim of labour exploitation.',
      votes: members.map(({ memberId }) => ({ memberId, vote: 'positive' as const })),
    },
  });
  if (!decided.data) throw refused('The decision', decided.response.status, decided.error);
  revision = decided.data.revision;
  revisions.push(revision);

  // 6. The case is closed; read it back from the read model, once it has reached this write.
  const closed = await caseManager.POST('/cases/{caseId}/closure', {
    params: at('2015-10-21T09:00:00Z', 'closure'),
    body: { notes: 'Move-on support arranged.' },
  });
  if (!closed.data) throw refused('The closure', closed.response.status, closed.error);
  revision = closed.data.revision;
  revisions.push(revision);

  const read = await caseManager.GET('/cases/{caseId}', {
    params: { path: { caseId }, header: { 'X-Min-Position': closed.data.position } },
  });
  if (!read.data) throw refused('Reading the case', read.response.status, read.error);

  // What the README points to next: the case file, what may be done now, the decisions, the
  // history, the panel schedule and the workflow definition.
  const file = await caseManager.GET('/cases/{caseId}/file', { params: { path: { caseId } } });
  if (!file.data) throw refused('Reading the case file', file.response.status, file.error);
  const actions = await caseManager.GET('/cases/{caseId}/actions', { params: { path: { caseId } } });
  if (!actions.data) throw refused('Reading the actions', actions.response.status, actions.error);
  const decisions = await chair.GET('/cases/{caseId}/decisions', { params: { path: { caseId } } });
  if (!decisions.data) throw refused('Reading the decisions', decisions.response.status, decisions.error);
  const history = await caseManager.GET('/cases/{caseId}/history', {
    params: { path: { caseId }, query: { limit: 200 } },
  });
  if (!history.data) throw refused('Reading the history', history.response.status, history.error);
  const panels = await caseManager.GET('/panels', { params: { query: { panelId: 'south-west-panel' } } });
  if (!panels.data) throw refused('Reading the panel schedule', panels.response.status, panels.error);
  const workflow = await caseManager.GET('/workflows/{id}', { params: { path: { id: 'nrm-pilot-2015' } } });
  if (!workflow.data) throw refused('Reading the workflow', workflow.response.status, workflow.error);

  // A refused step answers with problem details naming the rule.
  const again = await caseManager.POST('/cases/{caseId}/closure', {
    params: at('2015-10-22T09:00:00Z', 'closure-again'),
    body: { notes: 'Closed twice by mistake.' },
  });
  if (!again.error) throw new Error('Closing a closed case was accepted');

  return {
    caseId,
    status: read.data.status,
    revisions,
    reads: {
      fileStatus: file.data.status,
      actions: actions.data.actions.length,
      decisions: decisions.data.map(
        (decision) => `${decision.stage} ${decision.outcome} ${decision.votes.length} votes`,
      ),
      historyTypes: history.data.items.map((entry) => entry.type),
      panelListings: panels.data.items.filter((listing) => listing.caseId === caseId).length,
      workflowDeadlines: workflow.data.deadlines.map((deadline) => `${deadline.kind} ${deadline.duration.unit}`),
    },
    refusal: { status: again.error.status, rule: again.error.rule, type: again.error.type },
  };
}

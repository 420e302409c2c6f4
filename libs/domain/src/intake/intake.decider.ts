import type { DecisionContext } from '../shared/actor.model';
import { assertNever } from '../shared/assert-never.helper';
import { enforce, firstResponderOrganisationCheck } from '../case/case.rules';
import type { RaiseReferral } from '../case/case.commands';
import { decideCase } from '../case/case.decider';
import { initialCaseState } from '../case/case.state';
import { requireText } from '../shared/data.helpers';
import {
  InvalidHistoryError,
  NotPermittedError,
  RuleBrokenError,
  SubmissionNotFoundError,
} from '../shared/domain.errors';
import type { DeepReadonly } from '../shared/deep-readonly.type';
import type { ReferralSubmittedDataV1 } from '../generated/event-data';
import { instant } from '../shared/time.helpers';
import { organisationById } from '../shared/organisations.data';
import type { FirstResponderType } from '../shared/vocabulary.model';
import type { WorkflowDefinition } from '../workflow/workflow.definition';
import { workflowForRegion } from '../workflow/workflow.registry';
import { DEFAULT_WORKFLOW_ROUTES, type WorkflowRoutes } from '../workflow/workflow.routes';
import { FIRST_RESPONDERS_2015 } from './first-responders.definition';
import type { IntakeCommand } from './intake.commands';
import type { IntakeEvent } from './intake.events';

/** The referral as submitted. */
export type SubmittedReferral = DeepReadonly<ReferralSubmittedDataV1>;

/** Nothing submitted yet. */
export interface NoSubmission {
  readonly status: 'none';
}
/** Submitted, waiting for the lead (pilot) or the competent authority (central). */
export interface SubmissionWaiting {
  readonly status: 'submitted';
  readonly referral: SubmittedReferral;
  readonly lastEntryAt: string;
}
/** Accepted into a case. Terminal. */
export interface SubmissionAccepted {
  readonly status: 'accepted';
  readonly referral: SubmittedReferral;
  readonly caseId: string;
  readonly acceptedAt: string;
  readonly lastEntryAt: string;
}
/** Returned to the first responder with a reason. Terminal. */
export interface SubmissionReturned {
  readonly status: 'returned';
  readonly referral: SubmittedReferral;
  readonly reason: string;
  readonly returnedAt: string;
  readonly lastEntryAt: string;
}
/** The state of an `intake-<submissionId>` stream. */
export type IntakeState = NoSubmission | SubmissionWaiting | SubmissionAccepted | SubmissionReturned;

/** The state of an intake stream with no events. */
export function initialIntakeState(): IntakeState {
  return { status: 'none' };
}

function definitionFor(region: string, routes: WorkflowRoutes | undefined): WorkflowDefinition {
  const definition = workflowForRegion(region, routes ?? DEFAULT_WORKFLOW_ROUTES);
  if (!definition) throw new RuleBrokenError('no-workflow-for-region', `No workflow takes new referrals in ${region}`);
  return definition;
}

/**
 * The case command that accepting the submission issues (as the accepting lead or competent
 * authority): the referral exactly as submitted, the first responder's organisation referring.
 */
export function referralToRaise(referral: SubmittedReferral, caseId: string): RaiseReferral {
  const { submissionId: _id, submittedAt: _at, firstResponderId: _by, ...data } = referral;
  return {
    type: 'RaiseReferral',
    caseId,
    data: {
      ...data,
      exploitationTypes: [...data.exploitationTypes],
      subject: { ...data.subject, aliases: [...data.subject.aliases], contact: { ...data.subject.contact } },
    },
  };
}

/**
 * Decides a first responder's referral. `SubmitReferral`: a `first-responder` whose organisation
 * (the token's `agency`) is one of `FIRST_RESPONDERS_2015` (else `not-a-first-responder`); the
 * referral's data is checked by the same rules the case applies when it is raised (consent, local
 * authority contact, force in region...), so a submission the lead could never accept is refused
 * at once. `AcceptReferral` / `ReturnReferral`: only while it waits
 * (`referral-not-awaiting-acceptance`), by the role the region's workflow names in
 * `referralsAcceptedBy` (the pilot's lead, of the referral's region; the central route's competent
 * authority).
 */
export function decideIntake(command: IntakeCommand, state: IntakeState, context: DecisionContext): IntakeEvent[] {
  const { actor, now } = context;
  instant(now, 'now');
  switch (command.type) {
    case 'SubmitReferral': {
      if (state.status !== 'none') {
        throw new RuleBrokenError(
          'referral-already-submitted',
          `Referral ${command.submissionId} was already submitted`,
        );
      }
      if (actor.role !== 'first-responder') {
        throw new NotPermittedError(
          'role-not-permitted',
          `A ${actor.role} may not submit a referral as a first responder`,
        );
      }
      enforce(firstResponderOrganisationCheck(FIRST_RESPONDERS_2015, actor.agency));
      const definition = definitionFor(command.data.region, context.workflowRoutes);
      const acceptor = definition.rules.referralsAcceptedBy;
      if (acceptor === undefined) {
        throw new RuleBrokenError('no-workflow-for-region', `${definition.id} takes no first responder referrals`);
      }
      // The case's own rules, run now as the acceptor will run them: one declaration of the referral's rules.
      // The organisation's type is its first responder type (a first responder is police, a local
      // authority, a government agency or an NGO: the registry says which).
      const firstResponderType = organisationById(actor.agency)?.type as FirstResponderType;
      const [raised] = decideCase(
        {
          type: 'RaiseReferral',
          caseId: command.submissionId,
          data: { ...command.data, referringAgency: actor.agency, firstResponderType },
        },
        initialCaseState(),
        { ...context, actor: { ...actor, role: acceptor, region: command.data.region } },
      );
      if (raised?.type !== 'ReferralRaised') throw new Error('RaiseReferral raised no referral');
      const { caseId: _caseId, raisedAt: _raisedAt, leadId: _leadId, workflow: _workflow, ...referral } = raised.data;
      return [
        {
          type: 'ReferralSubmitted',
          data: {
            submissionId: command.submissionId,
            submittedAt: now,
            firstResponderId: actor.userId,
            ...referral,
          } as ReferralSubmittedDataV1,
        },
      ];
    }
    case 'AcceptReferral':
    case 'ReturnReferral': {
      if (state.status === 'none') throw new SubmissionNotFoundError(command.submissionId);
      if (state.status !== 'submitted') {
        throw new RuleBrokenError('referral-not-awaiting-acceptance', `The referral was already ${state.status}`);
      }
      const { region } = state.referral;
      const acceptor = definitionFor(region, context.workflowRoutes).rules.referralsAcceptedBy;
      if (actor.role !== acceptor || (actor.role !== 'lead' && actor.role !== 'competent-authority')) {
        throw new NotPermittedError(
          'role-not-permitted',
          `A ${actor.role} may not accept or return a referral in ${region} (only ${acceptor ?? 'nobody'})`,
        );
      }
      if (actor.role === 'lead' && actor.region !== region) {
        throw new NotPermittedError('outside-region', `A referral in ${region} is outside ${actor.region}`);
      }
      if (instant(now, 'now') < instant(state.lastEntryAt, 'lastEntryAt')) {
        throw new RuleBrokenError(
          'business-time-before-last-entry',
          `The business time ${now} is before the referral was submitted, at ${state.lastEntryAt}`,
        );
      }
      const by = { userId: actor.userId, role: actor.role };
      return command.type === 'AcceptReferral'
        ? [
            {
              type: 'ReferralAccepted',
              data: { submissionId: command.submissionId, caseId: command.caseId, acceptedAt: now, acceptedBy: by },
            },
          ]
        : [
            {
              type: 'ReferralReturned',
              data: {
                submissionId: command.submissionId,
                returnedAt: now,
                returnedBy: by,
                reason: requireText(command.reason, 'reason'),
              },
            },
          ];
    }
    default:
      return assertNever(command);
  }
}

/** Folds an intake event into the submission's state. */
export function evolveIntake(state: IntakeState, event: IntakeEvent): IntakeState {
  switch (event.type) {
    case 'ReferralSubmitted':
      if (state.status !== 'none') throw new InvalidHistoryError(event.type, state.status);
      return { status: 'submitted', referral: event.data, lastEntryAt: event.data.submittedAt };
    case 'ReferralAccepted':
      if (state.status !== 'submitted') throw new InvalidHistoryError(event.type, state.status);
      return {
        status: 'accepted',
        referral: state.referral,
        caseId: event.data.caseId,
        acceptedAt: event.data.acceptedAt,
        lastEntryAt: event.data.acceptedAt,
      };
    case 'ReferralReturned':
      if (state.status !== 'submitted') throw new InvalidHistoryError(event.type, state.status);
      return {
        status: 'returned',
        referral: state.referral,
        reason: event.data.reason,
        returnedAt: event.data.returnedAt,
        lastEntryAt: event.data.returnedAt,
      };
    default:
      return assertNever(event);
  }
}

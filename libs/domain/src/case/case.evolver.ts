import { assertNever } from '../shared/assert-never.helper';
import { InvalidHistoryError } from '../shared/domain.errors';
import { businessTimeOf, type CaseEvent } from './case.events';
import {
  initialCaseState,
  type CaseFile,
  type CaseIdentity,
  type CaseState,
  type CaseStatus,
  type ExistingCase,
  type OpenCase,
  type SuspendableCase,
} from './case.state';

/** What Harbour records by itself, as time passes: not an entry a person made. */
const SYSTEM_RECORDS: readonly CaseEvent['type'][] = ['DeadlineBreached', 'RecoveryPeriodEnded'];

/**
 * Folds one event into the state of a case. Pure and total over valid histories: it applies
 * facts and never re-checks rules (history is the truth). An event that cannot follow the state
 * at all throws `InvalidHistoryError`, as only corrupt data produces one.
 */
export function evolveCase(state: CaseState, event: CaseEvent): CaseState {
  return evolveWith(state, event, undefined);
}

/**
 * An evolve for one pass over a history, left to right (a fold): each state it returns equals
 * {@link evolveCase}'s, but a list the pass itself made grows in place instead of being copied
 * whole, so folding a case with n pieces of evidence costs n, not n² (a 1,000-event case copied
 * half a million entries per replay). Only the latest state of the pass may be used: the ones
 * before it share its lists. Take a new one for every pass; never keep one.
 */
export function caseFold(): (state: CaseState, event: CaseEvent) => CaseState {
  const owned = new WeakSet<object>();
  return (state, event) => evolveWith(state, event, owned);
}

/** Folds a whole history (from `state`, by default a case not yet raised). */
export function foldCaseEvents(events: Iterable<CaseEvent>, state: CaseState = initialCaseState()): CaseState {
  const evolve = caseFold();
  for (const event of events) state = evolve(state, event);
  return state;
}

/** Lists that this pass made and nothing outside it holds (see {@link caseFold}). */
type OwnedLists = WeakSet<object> | undefined;

function evolveWith(state: CaseState, event: CaseEvent, owned: OwnedLists): CaseState {
  const next = applyEvent(state, event, owned);
  if (next.status === 'none' || SYSTEM_RECORDS.includes(event.type)) return next;
  const at = businessTimeOf(event);
  // The later of the two: a history recorded before the rule may hold an entry out of order.
  const lastEntryAt =
    state.status !== 'none' && Date.parse(state.lastEntryAt) > Date.parse(at) ? state.lastEntryAt : at;
  return { ...next, lastEntryAt };
}

function applyEvent(state: CaseState, event: CaseEvent, owned: OwnedLists): CaseState {
  switch (event.type) {
    case 'ReferralRaised': {
      if (state.status !== 'none') throw new InvalidHistoryError(event.type, state.status);
      const { data } = event;
      return {
        status: 'referred',
        caseId: data.caseId,
        workflow: data.workflow,
        lastEntryAt: data.raisedAt,
        file: {
          region: data.region,
          policeForceArea: data.policeForceArea,
          ageGroup: data.ageGroup,
          referringAgency: data.referringAgency,
          raisedAt: data.raisedAt,
          leadIds: [data.leadId],
          evidence: [],
          openInformationRequests: [],
        },
      };
    }
    case 'CompetentAuthorityAllocated': {
      const { competentAuthority } = event.data;
      return mapFile(expectOpen(state, event), (file) => ({ ...file, competentAuthority }));
    }
    case 'ImmediateSupportArranged':
      // Recorded for the case history and read models; no rule depends on it.
      return expectOpen(state, event);
    case 'InformationRequested': {
      const { requestId } = event.data;
      return mapFile(expectOpen(state, event), (file) => ({
        ...file,
        openInformationRequests: [...file.openInformationRequests.filter((id) => id !== requestId), requestId],
      }));
    }
    case 'InformationReceived': {
      const { requestId } = event.data;
      return mapFile(expectOpen(state, event), (file) => ({
        ...file,
        openInformationRequests: file.openInformationRequests.filter((id) => id !== requestId),
      }));
    }
    case 'DeadlineBreached':
    case 'RecoveryPeriodEnded':
      // Records of time passing, kept by the deadline tracker: the case itself does not change. A
      // miss found late may follow the case's withdrawal or closure.
      return expectExisting(state, event);
    case 'LeadAssessmentRecorded': {
      const current = expectStatus(state, event, 'referred');
      const { data } = event;
      const file = withLead(current.file, data.assessorId);
      if (data.outcome === 'negative') {
        return {
          ...identity(current),
          status: 'assessment-negative',
          file,
          gate: 'lead-assessment',
          assessmentId: data.assessmentId,
        };
      }
      if (!data.recoveryPeriod)
        throw new InvalidHistoryError(`${event.type} (positive, no recovery period)`, state.status);
      return { ...identity(current), status: 'recovery', file, recoveryPeriod: data.recoveryPeriod };
    }
    case 'ReasonableGroundsDecisionMade': {
      const current = expectStatus(state, event, 'referred');
      const { data } = event;
      // The competent authority is no lead: the file's leads (barred from chairing) stay as they are.
      if (data.outcome === 'negative') {
        return {
          ...identity(current),
          status: 'assessment-negative',
          file: current.file,
          gate: 'reasonable-grounds-decision',
          assessmentId: data.decisionId,
        };
      }
      if (!data.recoveryPeriod)
        throw new InvalidHistoryError(`${event.type} (positive, no recovery period)`, state.status);
      return { ...identity(current), status: 'recovery', file: current.file, recoveryPeriod: data.recoveryPeriod };
    }
    case 'CaseListedForPanel': {
      const current = expectStatus(state, event, 'recovery', 'listed');
      const { panelId, meetingId, meetingAt, urgent } = event.data;
      return {
        ...identity(current),
        status: 'listed',
        file: { ...current.file, panelId },
        recoveryPeriod: current.recoveryPeriod,
        listing: { panelId, meetingId, meetingAt, urgent },
      };
    }
    case 'PanelConvened': {
      const current = expectStatus(state, event, 'listed');
      return {
        ...identity(current),
        status: 'panel-convened',
        file: current.file,
        recoveryPeriod: current.recoveryPeriod,
        listing: current.listing,
        panel: { chairId: event.data.chair.chairId, members: event.data.members },
      };
    }
    case 'DecisionRecorded': {
      const current = expectStatus(state, event, 'panel-convened', 'recovery');
      const { data } = event;
      const { decidedBy } = data;
      // At a panel everyone in the room took part in the decision, conflicted members included:
      // none of them may be its second reviewer. The competent authority decides alone.
      const participantIds =
        decidedBy.kind === 'panel'
          ? [
              decidedBy.chairId,
              ...(current.status === 'panel-convened' ? current.panel.members.map((member) => member.memberId) : []),
              ...data.votes.map((vote) => vote.memberId),
              ...data.dissent.map((dissent) => dissent.memberId),
            ]
          : [decidedBy.decisionMakerId];
      const decision = {
        decisionId: data.decisionId,
        outcome: data.outcome,
        decidedBy: { ...decidedBy },
        participantIds: [...new Set(participantIds)],
      };
      return {
        ...identity(current),
        status: data.outcome === 'positive' ? 'decided-positive' : 'decided-negative',
        file: current.file,
        recoveryPeriod: current.recoveryPeriod,
        decision,
      };
    }
    case 'SecondReviewCompleted': {
      const current = expectStatus(state, event, 'decided-negative');
      const { data } = event;
      const review = { reviewId: data.reviewId, outcome: data.outcome, reviewerId: data.reviewer.reviewerId };
      return {
        ...identity(current),
        status: data.outcome === 'upheld' ? 'negative-upheld' : 'decided-positive',
        file: current.file,
        recoveryPeriod: current.recoveryPeriod,
        decision: current.decision,
        review,
      };
    }
    case 'ReconsiderationRequested': {
      const current = expectStatus(state, event, 'assessment-negative', 'decided-negative', 'negative-upheld');
      return current.status === 'assessment-negative'
        ? { ...identity(current), status: 'referred', file: current.file }
        : { ...identity(current), status: 'recovery', file: current.file, recoveryPeriod: current.recoveryPeriod };
    }
    case 'EvidenceAdded': {
      const { evidenceId, kind, description } = event.data;
      return mapFile(expectOpen(state, event), (file) => ({
        ...file,
        evidence: appended(file.evidence, { evidenceId, kind, description }, owned),
      }));
    }
    case 'CaseSuspended': {
      const current = expectOpen(state, event);
      if (current.status === 'suspended') throw new InvalidHistoryError(event.type, current.status);
      return { ...identity(current), status: 'suspended', resumeTo: current };
    }
    case 'CaseResumed':
      return expectStatus(state, event, 'suspended').resumeTo;
    case 'ReferralWithdrawn': {
      const current = expectOpen(state, event);
      return { ...identity(current), status: 'withdrawn', file: fileOfOpen(current), withdrawnFrom: current.status };
    }
    case 'CaseClosed': {
      const current = expectStatus(
        state,
        event,
        'decided-positive',
        'negative-upheld',
        'assessment-negative',
        'suspended',
      );
      return { ...identity(current), status: 'closed', file: fileOfOpen(current), closedFrom: current.status };
    }
    default:
      return assertNever(event);
  }
}

function expectStatus<Status extends CaseStatus>(
  state: CaseState,
  event: CaseEvent,
  ...statuses: Status[]
): Extract<ExistingCase, { status: Status }> {
  if ((statuses as string[]).includes(state.status)) return state as Extract<ExistingCase, { status: Status }>;
  throw new InvalidHistoryError(event.type, state.status);
}

function expectExisting(state: CaseState, event: CaseEvent): ExistingCase {
  if (state.status === 'none') throw new InvalidHistoryError(event.type, state.status);
  return state;
}

function expectOpen(state: CaseState, event: CaseEvent): OpenCase {
  if (state.status === 'none' || state.status === 'closed' || state.status === 'withdrawn') {
    throw new InvalidHistoryError(event.type, state.status);
  }
  return state;
}

function identity(state: ExistingCase): CaseIdentity {
  return { caseId: state.caseId, workflow: state.workflow, lastEntryAt: state.lastEntryAt };
}

function fileOfOpen(state: OpenCase): CaseFile {
  return state.status === 'suspended' ? state.resumeTo.file : state.file;
}

function withLead(file: CaseFile, leadId: string): CaseFile {
  return file.leadIds.includes(leadId) ? file : { ...file, leadIds: [...file.leadIds, leadId] };
}

/** `list` with `item` at the end: a copy, unless this pass made `list` (then it grows in place). */
function appended<T>(list: readonly T[], item: T, owned: OwnedLists): readonly T[] {
  if (owned?.has(list)) {
    (list as T[]).push(item);
    return list;
  }
  const copy = [...list, item];
  owned?.add(copy);
  return copy;
}

// A suspended case keeps its file inside the state it resumes to.
function mapFile(state: OpenCase, change: (file: CaseFile) => CaseFile): OpenCase {
  if (state.status === 'suspended') return { ...state, resumeTo: mapSuspendable(state.resumeTo, change) };
  return mapSuspendable(state, change);
}

function mapSuspendable(state: SuspendableCase, change: (file: CaseFile) => CaseFile): SuspendableCase {
  return { ...state, file: change(state.file) };
}

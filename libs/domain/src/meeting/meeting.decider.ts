import {
  conflictedMembersCheck,
  enforce,
  membersPresentCheck,
  oneVotePerMemberCheck,
  panelDisciplinesCheck,
  panelQuorumCheck,
  votingRuleCheck,
} from '../case/case.rules';
import type { Actor } from '../shared/actor.model';
import { assertNever } from '../shared/assert-never.helper';
import { NotPermittedError, RuleBrokenError } from '../shared/domain.errors';
import { organisationById } from '../shared/organisations.data';
import { instant } from '../shared/time.helpers';
import type { AgeGroup, Outcome, PanelDiscipline, Vote } from '../shared/vocabulary.model';
import type { WorkflowRules } from '../workflow/workflow.definition';
import type { MeetingEvent } from './meeting.events';

/** A member invited to a meeting, by registry organisation id. */
export interface MeetingMember {
  readonly memberId: string;
  readonly organisationId: string;
  readonly discipline: PanelDiscipline;
}

/** A member present, with the cases they declared a conflict on. */
export interface Attendee extends MeetingMember {
  readonly conflicts: readonly string[];
}

/** What the meeting did with a case on its agenda. */
export type AgendaItemStatus = 'on-agenda' | 'removed' | 'decided' | 'deferred' | 'adjourned';

export interface AgendaItem {
  readonly caseId: string;
  readonly status: AgendaItemStatus;
  /** Who may read the case's pack, once issued. */
  readonly packRecipients: readonly string[] | null;
}

export interface ScheduledMeeting {
  readonly status: 'scheduled' | 'minuted';
  readonly meetingId: string;
  readonly panelId: string;
  readonly meetingAt: string;
  readonly chairId: string;
  readonly members: readonly MeetingMember[];
  readonly agenda: readonly AgendaItem[];
  readonly attendees: readonly Attendee[] | null;
}

export type MeetingState = { readonly status: 'none' } | ScheduledMeeting;

export function initialMeetingState(): MeetingState {
  return { status: 'none' };
}

interface MeetingCommandOf<Type extends string, Data> {
  readonly type: Type;
  readonly meetingId: string;
  readonly data: Data;
}

export type ScheduleMeeting = MeetingCommandOf<
  'ScheduleMeeting',
  {
    readonly panelId: string;
    readonly meetingAt: string;
    readonly venue: { readonly kind: 'in-person' | 'remote'; readonly details: string };
    readonly chairId: string;
    readonly members: readonly MeetingMember[];
  }
>;
export type AddCaseToAgenda = MeetingCommandOf<'AddCaseToAgenda', { readonly caseId: string }>;
export type RemoveCaseFromAgenda = MeetingCommandOf<
  'RemoveCaseFromAgenda',
  { readonly caseId: string; readonly reason: string }
>;
export type IssuePack = MeetingCommandOf<'IssuePack', { readonly caseId: string; readonly packSha256: string }>;
export type RecordAttendance = MeetingCommandOf<
  'RecordAttendance',
  { readonly attendees: readonly { readonly memberId: string; readonly conflicts: readonly string[] }[] }
>;
export type RecordCaseOutcome = MeetingCommandOf<
  'RecordCaseOutcome',
  {
    readonly caseId: string;
    readonly outcome: 'decided' | 'deferred' | 'adjourned';
    /** When decided: the decision's id and outcome (its rationale goes on the case). */
    readonly decision?: { readonly decisionId: string; readonly outcome: Outcome };
    readonly votes: readonly { readonly memberId: string; readonly vote: Vote }[];
    readonly chairCastingVote?: Outcome;
    /** Required when deferred or adjourned. */
    readonly reason?: string;
  }
>;
export type ApproveMinutes = MeetingCommandOf<'ApproveMinutes', { readonly minutes: string }>;

/** Every command to a meeting. */
export type MeetingCommand =
  | ScheduleMeeting
  | AddCaseToAgenda
  | RemoveCaseFromAgenda
  | IssuePack
  | RecordAttendance
  | RecordCaseOutcome
  | ApproveMinutes;

/** What the application layer looked up for the decider (the domain does no I/O). */
export interface MeetingContext {
  readonly actor: Actor;
  readonly now: string;
  /** The panel's rules, from the latest definition its region's cases run under. */
  readonly rules: Pick<WorkflowRules, 'panelQuorum' | 'panelDisciplines' | 'panelVoting'>;
  /** The panel `ScheduleMeeting` names, as the registry holds it (undefined: not registered). */
  readonly panel?: { readonly panelId: string; readonly region: string };
  /** The case a command names, as its stream stands: where it is listed and the person's age group. */
  readonly caseFacts?: {
    readonly status: string;
    readonly listedPanelId: string | null;
    readonly ageGroup: AgeGroup;
  };
}

const CASE_MANAGEMENT = 'case-manager';

/** Decides a meeting command: refusals name the rule (see `case.rules.ts` for the shared checks). */
export function decideMeeting(command: MeetingCommand, state: MeetingState, context: MeetingContext): MeetingEvent[] {
  const { now } = context;
  if (command.type === 'ScheduleMeeting') return scheduleMeeting(command, state, context);
  if (state.status === 'none') {
    throw new RuleBrokenError('meeting-not-scheduled', `No meeting ${command.meetingId} is scheduled`);
  }
  if (state.status === 'minuted') {
    throw new RuleBrokenError('meeting-minuted', 'The minutes are approved: the meeting takes no more business');
  }
  switch (command.type) {
    case 'AddCaseToAgenda': {
      requireRole(context.actor, CASE_MANAGEMENT);
      const { caseId } = command.data;
      if (state.agenda.some((item) => item.caseId === caseId && item.status === 'on-agenda')) {
        throw new RuleBrokenError('case-already-on-agenda', `Case ${caseId} is already on the agenda`);
      }
      const facts = context.caseFacts;
      if (!facts || facts.status !== 'listed' || facts.listedPanelId !== state.panelId) {
        throw new RuleBrokenError(
          'case-not-listed-to-panel',
          `Only a case listed to ${state.panelId} goes on its agenda; case ${caseId} is ${facts ? `${facts.status}${facts.listedPanelId ? ` (panel ${facts.listedPanelId})` : ''}` : 'unknown'}`,
        );
      }
      return [{ type: 'MeetingAgendaCaseAdded', data: { meetingId: state.meetingId, caseId, addedAt: now } }];
    }
    case 'RemoveCaseFromAgenda': {
      requireRole(context.actor, CASE_MANAGEMENT);
      openItem(state, command.data.caseId);
      const reason = requireReason(command.data.reason);
      return [
        {
          type: 'MeetingAgendaCaseRemoved',
          data: { meetingId: state.meetingId, caseId: command.data.caseId, removedAt: now, reason },
        },
      ];
    }
    case 'IssuePack': {
      requireRole(context.actor, CASE_MANAGEMENT);
      openItem(state, command.data.caseId);
      // Need to know: the chair and the members invited to this meeting, nobody else.
      const recipients = [state.chairId, ...state.members.map((member) => member.memberId)];
      return [
        {
          type: 'MeetingPackIssued',
          data: {
            meetingId: state.meetingId,
            caseId: command.data.caseId,
            issuedAt: now,
            recipients,
            sections: ['case-summary', 'lead-assessment', 'evidence-list', 'information-answers'],
            packSha256: command.data.packSha256,
          },
        },
      ];
    }
    case 'RecordAttendance': {
      requireChair(state, context.actor);
      if (instant(now, 'now') < instant(state.meetingAt, 'meetingAt')) {
        throw new RuleBrokenError('panel-not-before-listed-meeting', `The meeting sits at ${state.meetingAt}`);
      }
      const seen = new Set<string>();
      const attendees = command.data.attendees.map(({ memberId, conflicts }) => {
        const member = state.members.find((m) => m.memberId === memberId);
        if (!member) throw new RuleBrokenError('not-invited-to-meeting', `${memberId} was not invited to this meeting`);
        if (seen.has(memberId)) throw new RuleBrokenError('duplicate-panel-member', `${memberId} is listed twice`);
        seen.add(memberId);
        return { ...member, conflicts: [...new Set(conflicts)] };
      });
      return [
        {
          type: 'MeetingAttendanceRecorded',
          data: { meetingId: state.meetingId, recordedAt: now, chairId: context.actor.userId, attendees },
        },
      ];
    }
    case 'RecordCaseOutcome':
      return recordOutcome(command, state, context);
    case 'ApproveMinutes': {
      requireChair(state, context.actor);
      const open = state.agenda.filter((item) => item.status === 'on-agenda').map((item) => item.caseId);
      if (open.length > 0) {
        throw new RuleBrokenError('agenda-item-without-outcome', `No outcome yet for ${open.join(', ')}`);
      }
      const minutes = command.data.minutes.trim();
      if (minutes === '') throw new RuleBrokenError('text-required', 'The minutes are empty', 'minutes');
      return [
        {
          type: 'MeetingMinutesApproved',
          data: { meetingId: state.meetingId, approvedAt: now, chairId: context.actor.userId, minutes },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

function scheduleMeeting(command: ScheduleMeeting, state: MeetingState, context: MeetingContext): MeetingEvent[] {
  const { actor, now } = context;
  requireRole(actor, CASE_MANAGEMENT);
  if (state.status !== 'none') {
    throw new RuleBrokenError('meeting-already-scheduled', `Meeting ${command.meetingId} is already scheduled`);
  }
  const { panelId, meetingAt, venue, chairId, members } = command.data;
  const panel = context.panel;
  if (!panel || panel.panelId !== panelId)
    throw new RuleBrokenError('unknown-panel', `No panel ${panelId} is registered`);
  if (panel.region !== actor.region) {
    throw new NotPermittedError('outside-region', `Panel ${panelId} serves ${panel.region}`);
  }
  if (instant(meetingAt, 'meetingAt') <= instant(now, 'now')) {
    throw new RuleBrokenError('meeting-in-the-past', `The meeting must be after now (${now})`, 'meetingAt');
  }
  if (venue.details.trim() === '') throw new RuleBrokenError('text-required', 'Say where, or give the link', 'venue');
  const seen = new Set<string>();
  for (const member of members) {
    if (seen.has(member.memberId) || member.memberId === chairId) {
      throw new RuleBrokenError('duplicate-panel-member', `${member.memberId} is invited twice (or is the chair)`);
    }
    seen.add(member.memberId);
    if (!organisationById(member.organisationId)) {
      throw new RuleBrokenError(
        'unknown-organisation',
        `${member.organisationId} is not an organisation in the registry`,
        'members.organisationId',
      );
    }
  }
  return [
    {
      type: 'MeetingScheduled',
      data: {
        meetingId: command.meetingId,
        panelId,
        scheduledAt: now,
        meetingAt,
        venue: { kind: venue.kind, details: venue.details.trim() },
        chairId,
        members: members.map(({ memberId, organisationId, discipline }) => ({ memberId, organisationId, discipline })),
      },
    },
  ];
}

function recordOutcome(command: RecordCaseOutcome, state: ScheduledMeeting, context: MeetingContext): MeetingEvent[] {
  requireChair(state, context.actor);
  const { data } = command;
  openItem(state, data.caseId);
  if (state.attendees === null) {
    throw new RuleBrokenError('attendance-not-recorded', 'Record who attended before recording outcomes');
  }
  const present = state.attendees.map((attendee) => ({
    memberId: attendee.memberId,
    discipline: attendee.discipline,
    conflictDeclared: attendee.conflicts.includes(data.caseId),
  }));
  const base = {
    meetingId: state.meetingId,
    caseId: data.caseId,
    recordedAt: context.now,
    votes: data.votes.map(({ memberId, vote }) => ({ memberId, vote })),
    chairCastingVote: data.chairCastingVote ?? null,
    votingRule: context.rules.panelVoting ?? 'majority-chair-casting-vote',
  };
  if (data.outcome !== 'decided') {
    // An inquorate meeting may still put a case off: deferring and adjourning decide nothing.
    return [
      {
        type: 'MeetingCaseOutcomeRecorded',
        data: { ...base, outcome: data.outcome, decisionId: null, decision: null, reason: requireReason(data.reason) },
      },
    ];
  }
  if (!data.decision)
    throw new RuleBrokenError('selection-required', 'A decided outcome needs the decision', 'decision');
  const { panelQuorum, panelDisciplines, panelVoting } = context.rules;
  if (panelQuorum === undefined || panelDisciplines === undefined || panelVoting === undefined) {
    throw new Error('The panel definition names no quorum, disciplines or voting rule');
  }
  enforce(panelQuorumCheck(present, panelQuorum));
  enforce(panelDisciplinesCheck(panelDisciplines, context.caseFacts?.ageGroup ?? 'unknown', present));
  enforce(membersPresentCheck(present, data.votes, []));
  enforce(conflictedMembersCheck(present, data.votes, []));
  enforce(oneVotePerMemberCheck(data.votes, []));
  const eligible = present.filter((member) => !member.conflictDeclared).map((member) => member.memberId);
  enforce(votingRuleCheck(panelVoting, eligible, data.votes, data.chairCastingVote ?? null, data.decision.outcome));
  return [
    {
      type: 'MeetingCaseOutcomeRecorded',
      data: {
        ...base,
        outcome: 'decided',
        decisionId: data.decision.decisionId,
        decision: data.decision.outcome,
        reason: null,
      },
    },
  ];
}

export function evolveMeeting(state: MeetingState, event: MeetingEvent): MeetingState {
  if (event.type === 'MeetingScheduled') {
    const { meetingId, panelId, meetingAt, chairId, members } = event.data;
    return { status: 'scheduled', meetingId, panelId, meetingAt, chairId, members, agenda: [], attendees: null };
  }
  if (state.status === 'none') return state;
  const setItem = (caseId: string, change: Partial<AgendaItem>): ScheduledMeeting => ({
    ...state,
    agenda: state.agenda.map((item) =>
      item.caseId === caseId && item.status === 'on-agenda' ? { ...item, ...change } : item,
    ),
  });
  switch (event.type) {
    case 'MeetingAgendaCaseAdded':
      return {
        ...state,
        agenda: [...state.agenda, { caseId: event.data.caseId, status: 'on-agenda', packRecipients: null }],
      };
    case 'MeetingAgendaCaseRemoved':
      return setItem(event.data.caseId, { status: 'removed' });
    case 'MeetingPackIssued':
      return setItem(event.data.caseId, { packRecipients: event.data.recipients });
    case 'MeetingAttendanceRecorded':
      return { ...state, attendees: event.data.attendees };
    case 'MeetingCaseOutcomeRecorded':
      return setItem(event.data.caseId, { status: event.data.outcome });
    case 'MeetingMinutesApproved':
      return { ...state, status: 'minuted' };
    default:
      return assertNever(event);
  }
}

/**
 * Whether `userId` may read the pack of `caseId` at this meeting: it was issued, and they are one
 * of its recipients (the chair or an invited member). A later agenda item's outcome keeps the
 * pack readable to them for the minutes.
 */
export function mayReadPack(
  state: MeetingState,
  caseId: string,
  userId: string,
): 'yes' | 'not-issued' | 'not-a-recipient' {
  if (state.status === 'none') return 'not-issued';
  const item = [...state.agenda].reverse().find((entry) => entry.caseId === caseId);
  if (!item || item.packRecipients === null) return 'not-issued';
  return item.packRecipients.includes(userId) ? 'yes' : 'not-a-recipient';
}

function openItem(state: ScheduledMeeting, caseId: string): AgendaItem {
  const items = state.agenda.filter((entry) => entry.caseId === caseId);
  const open = items.find((entry) => entry.status === 'on-agenda');
  if (open) return open;
  if (items.length > 0 && items.some((entry) => entry.status !== 'removed')) {
    throw new RuleBrokenError('outcome-already-recorded', `The panel already reached an outcome on case ${caseId}`);
  }
  throw new RuleBrokenError('case-not-on-agenda', `Case ${caseId} is not on the agenda`);
}

function requireReason(reason: string | undefined): string {
  const text = (reason ?? '').trim();
  if (text === '') throw new RuleBrokenError('outcome-needs-reason', 'Say why', 'reason');
  return text;
}

function requireRole(actor: Actor, role: Actor['role']): void {
  if (actor.role !== role) throw new NotPermittedError('role-not-permitted', `Only a ${role} may do this`);
}

function requireChair(state: ScheduledMeeting, actor: Actor): void {
  if (actor.role !== 'panel-chair' || actor.userId !== state.chairId) {
    throw new NotPermittedError('role-not-permitted', `Only the meeting's chair (${state.chairId}) may do this`);
  }
}

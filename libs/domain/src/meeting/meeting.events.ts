import type { DomainEvent } from '../case/case.events';
import type {
  MeetingAgendaCaseAddedDataV1,
  MeetingAgendaCaseRemovedDataV1,
  MeetingAttendanceRecordedDataV1,
  MeetingCaseOutcomeRecordedDataV1,
  MeetingMinutesApprovedDataV1,
  MeetingPackIssuedDataV1,
  MeetingScheduledDataV1,
} from '../generated/event-data';

/** A panel meeting was scheduled: panel, time, venue or link, chair and invited members. */
export type MeetingScheduled = DomainEvent<'MeetingScheduled', MeetingScheduledDataV1>;
/** A case listed to the panel went on the agenda. */
export type MeetingAgendaCaseAdded = DomainEvent<'MeetingAgendaCaseAdded', MeetingAgendaCaseAddedDataV1>;
/** A case came off the agenda before an outcome. */
export type MeetingAgendaCaseRemoved = DomainEvent<'MeetingAgendaCaseRemoved', MeetingAgendaCaseRemovedDataV1>;
/** The pack for one case was issued to those who may read it. */
export type MeetingPackIssued = DomainEvent<'MeetingPackIssued', MeetingPackIssuedDataV1>;
/** Who attended, with disciplines and conflicts per case. */
export type MeetingAttendanceRecorded = DomainEvent<'MeetingAttendanceRecorded', MeetingAttendanceRecordedDataV1>;
/** The outcome on one case: decided, deferred or adjourned, with the votes. */
export type MeetingCaseOutcomeRecorded = DomainEvent<'MeetingCaseOutcomeRecorded', MeetingCaseOutcomeRecordedDataV1>;
/** The chair approved the minutes; the meeting is closed to business. */
export type MeetingMinutesApproved = DomainEvent<'MeetingMinutesApproved', MeetingMinutesApprovedDataV1>;

/** Every event of a `panel-meeting-<meetingId>` stream. */
export type MeetingEvent =
  | MeetingScheduled
  | MeetingAgendaCaseAdded
  | MeetingAgendaCaseRemoved
  | MeetingPackIssued
  | MeetingAttendanceRecorded
  | MeetingCaseOutcomeRecorded
  | MeetingMinutesApproved;

/** Every meeting event type. */
export const MEETING_EVENT_TYPES = [
  'MeetingScheduled',
  'MeetingAgendaCaseAdded',
  'MeetingAgendaCaseRemoved',
  'MeetingPackIssued',
  'MeetingAttendanceRecorded',
  'MeetingCaseOutcomeRecorded',
  'MeetingMinutesApproved',
] as const satisfies readonly MeetingEvent['type'][];

/**
 * A meeting's own stream. Meetings are streams of their own rather than events on the panel's
 * registry stream: a panel meets every few weeks for years, and a meeting's business (agenda,
 * attendance, votes) is written concurrently with other meetings' and read on its own.
 */
export function meetingStreamName(meetingId: string): string {
  return `panel-meeting-${meetingId}`;
}

import { organisationName, OUTCOMES, type Outcome } from '@harbour/domain';
import type { Row } from '@harbour/read-store';
import { RowReader } from '../shared/row.reader';
import type {
  EarlierListing,
  PanelListingStatus,
  PanelMemberPresent,
  RemovedReason,
} from './panel-schedule.read-model';

const CURRENT_STATUSES = ['listed', 'convened', 'decided', 'removed'] as const;
const REMOVED_REASONS: readonly RemovedReason[] = ['withdrawn', 'closed'];

/**
 * One case at one panel meeting. No personal data: whether an urgency reason was given, never
 * the reason. Revisions and positions are decimal strings.
 */
export interface PanelScheduleEntry {
  readonly caseId: string;
  readonly panelId: string;
  readonly meetingId: string;
  readonly meetingAt: string;
  readonly listedAt: string;
  readonly urgent: boolean;
  readonly urgencyReasonGiven: boolean;
  readonly status: PanelListingStatus;
  /** Why a `removed` listing was removed; null otherwise. */
  readonly removedReason: RemovedReason | null;
  /** The case is suspended: the meeting should not hear it until it resumes. */
  readonly caseSuspended: boolean;
  readonly convenedAt: string | null;
  readonly chairId: string | null;
  readonly chairAgency: string | null;
  /** The registry's name for the chair's organisation; null when none, or an unverified name. */
  readonly chairAgencyName: string | null;
  /** Each with `agencyName`, the registry's name for its organisation (null for an unverified name). */
  readonly membersPresent: readonly (PanelMemberPresent & { readonly agencyName: string | null })[] | null;
  readonly attendanceCount: number | null;
  readonly membersCounted: number | null;
  readonly quorate: boolean | null;
  readonly decisionId: string | null;
  readonly decisionOutcome: Outcome | null;
  readonly decidedAt: string | null;
  /** When the case was listed elsewhere, for a listing it moved on from; null for the current one. */
  readonly supersededAt: string | null;
  /** The case revision that last changed the row. */
  readonly revision: string;
  /** The global position of the last event reflected (read-your-writes token). */
  readonly position: string;
}

/**
 * The case's current listing from a stored `panel_schedule` row. Throws `MalformedRowError` on a
 * row of the wrong shape.
 */
export function toPanelScheduleEntry(row: Row): PanelScheduleEntry {
  const read = new RowReader('panel_schedule', row);
  return {
    caseId: read.text('case_id'),
    panelId: read.text('panel_id'),
    meetingId: read.text('meeting_id'),
    meetingAt: read.text('meeting_at'),
    listedAt: read.text('listed_at'),
    urgent: read.boolean('urgent'),
    urgencyReasonGiven: read.boolean('urgency_reason_given'),
    status: read.oneOf('status', CURRENT_STATUSES),
    removedReason: read.oneOfOrNull('removed_reason', REMOVED_REASONS),
    caseSuspended: read.boolean('case_suspended'),
    convenedAt: read.textOrNull('convened_at'),
    chairId: read.textOrNull('chair_id'),
    chairAgency: read.textOrNull('chair_agency'),
    chairAgencyName: nameOf(read.textOrNull('chair_agency')),
    membersPresent:
      read
        .arrayOrNull<PanelMemberPresent>('members_present')
        ?.map((member) => ({ ...member, agencyName: nameOf(member.agency) })) ?? null,
    attendanceCount: read.integerOrNull('attendance_count'),
    membersCounted: read.integerOrNull('members_counted'),
    quorate: read.booleanOrNull('quorate'),
    decisionId: read.textOrNull('decision_id'),
    decisionOutcome: read.oneOfOrNull('decision_outcome', OUTCOMES),
    decidedAt: read.textOrNull('decided_at'),
    supersededAt: null,
    revision: String(read.integer('revision')),
    position: read.position(),
  };
}

/**
 * Every (meeting, case) listing a stored `panel_schedule` row holds: the listings the case moved
 * on from (`relisted` or `decided`), oldest first, then the current one. For a meeting's agenda
 * including cases relisted away from it, query `meeting_ids contains <meetingId>` and keep the
 * entries of that meeting.
 */
export function toPanelScheduleEntries(row: Row): PanelScheduleEntry[] {
  const current = toPanelScheduleEntry(row);
  const earlier = new RowReader('panel_schedule', row).array<EarlierListing>('earlier_listings');
  return [
    ...earlier.map((listing): PanelScheduleEntry => ({
      ...listing,
      chairAgencyName: nameOf(listing.chairAgency),
      membersPresent:
        listing.membersPresent?.map((member) => ({ ...member, agencyName: nameOf(member.agency) })) ?? null,
      caseId: current.caseId,
      // The case's suspension and removal concern its current listing, not ones it left.
      removedReason: null,
      caseSuspended: false,
      revision: current.revision,
      position: current.position,
    })),
    current,
  ];
}

// Rows hold registry ids (or, from before the registry, unverified names): clients show the name.
function nameOf(agency: string | null): string | null {
  return agency === null ? null : (organisationName(agency) ?? null);
}

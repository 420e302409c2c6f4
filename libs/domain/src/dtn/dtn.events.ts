import type { DomainEvent } from '../case/case.events';
import type { DutyToNotifyReportedDataV1 } from '../generated/event-data';

/** An anonymous Duty to Notify report. Terminal: there is no decision; it counts in statistics. */
export type DutyToNotifyReported = DomainEvent<'DutyToNotifyReported', DutyToNotifyReportedDataV1>;

/** Every event of a `dtn-<reportId>` stream. */
export type DtnEvent = DutyToNotifyReported;

/** Every Duty to Notify event type. */
export const DTN_EVENT_TYPES = ['DutyToNotifyReported'] as const satisfies readonly DtnEvent['type'][];

/** The stream of one Duty to Notify report. */
export function dtnStreamName(reportId: string): string {
  return `dtn-${reportId}`;
}

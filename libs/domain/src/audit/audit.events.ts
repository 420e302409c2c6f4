import type { DomainEvent } from '../case/case.events';
import type { CaseRecordViewedDataV1 } from '../generated/event-data';

/** Someone was sent a case's personal data or history: the read-access log. */
export type CaseRecordViewed = DomainEvent<'CaseRecordViewed', CaseRecordViewedDataV1>;

/** Every event of an `audit-access-<yyyy-mm-dd>` stream. */
export type AuditEvent = CaseRecordViewed;

/** Every audit event type. No read model handles them: the log is read from its own streams. */
export const AUDIT_EVENT_TYPES = ['CaseRecordViewed'] as const satisfies readonly AuditEvent['type'][];

/** The read-access log of one UTC day (`day` is `YYYY-MM-DD`). */
export function accessLogStreamName(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`An access log day is YYYY-MM-DD, not "${day}"`);
  return `audit-access-${day}`;
}

import {
  decodeEvent,
  dtnStreamName,
  EEA_NATIONALITIES_2015,
  EXPLOITATION_TYPES,
  UndecodableEventError,
  type DutyToNotifyReported,
  type ExploitationType,
} from '@harbour/domain';
import type { RecordedEvent } from '@harbour/event-store';
import type { ColumnSpec } from '@harbour/read-store';
import type { ReadModel } from '../../projection';
import { alreadyApplied, canonicalTime, revisionValue } from '../shared/case-event.reader';
import { UnreadableEventError } from '../shared/read-model.errors';

/** Nationality as the statistics group it: British, another EEA nationality (2015), other, unknown. */
export type NationalityGroup = 'uk' | 'eea' | 'non-eea' | 'unknown';

/**
 * One row per Duty to Notify report (s.52 MSA 2015): the categories an anonymous report holds, for
 * the statistics. Nothing here identifies a person: a report never carried anything that does.
 */
export type DutyToNotifyRow = {
  readonly report_id: string;
  readonly reported_at: string;
  readonly region: string;
  readonly police_force_area: string;
  /** The kind of notifying authority (police, local authority, government agency). */
  readonly authority_type: string;
  readonly reporting_agency: string;
  readonly age_group: string;
  readonly gender: string;
  readonly nationality_group: NationalityGroup;
  readonly exploitation_types: readonly ExploitationType[];
  readonly exploitation_location: string;
  readonly refusal_reason: string;
  readonly revision: number;
};

const text: ColumnSpec = { type: 'text' };

const COLUMNS: { readonly [Column in keyof DutyToNotifyRow]-?: ColumnSpec } = {
  report_id: text,
  reported_at: { type: 'timestamp' },
  region: text,
  police_force_area: text,
  authority_type: text,
  reporting_agency: text,
  age_group: text,
  gender: text,
  nationality_group: text,
  exploitation_types: { type: 'json' },
  exploitation_location: text,
  refusal_reason: text,
  revision: { type: 'integer' },
};

/** The table the `duty_to_notify` read model writes. */
export const DUTY_TO_NOTIFY_TABLE = 'duty_to_notify';

/** ISO 3166-1 alpha-3 (`XXA` stateless, `XXX` unknown) to the group the statistics publish. */
export function nationalityGroupOf(code: string): NationalityGroup {
  if (code === 'GBR') return 'uk';
  if (EEA_NATIONALITIES_2015.includes(code)) return 'eea';
  if (code === 'XXX') return 'unknown';
  return 'non-eea';
}

function reportOf(event: RecordedEvent): DutyToNotifyReported | undefined {
  if (event.type !== 'DutyToNotifyReported') return undefined;
  let decoded: DutyToNotifyReported;
  try {
    decoded = decodeEvent<DutyToNotifyReported>(event);
  } catch (error) {
    if (error instanceof UndecodableEventError) throw new UnreadableEventError(event.id, error.message);
    throw error;
  }
  if (event.stream !== dtnStreamName(decoded.data.reportId)) {
    throw new UnreadableEventError(event.id, `report ${decoded.data.reportId} is in stream ${event.stream}`);
  }
  return decoded;
}

/** The `duty_to_notify` read model (see {@link DutyToNotifyRow}). */
export const dutyToNotifyReadModel: ReadModel<DutyToNotifyRow> = {
  table: DUTY_TO_NOTIFY_TABLE,
  columns: COLUMNS,
  key: ['report_id'],
  indexes: [['reported_at']],
  handles: ['DutyToNotifyReported'],
  keyOf: (event) => {
    const report = reportOf(event);
    return report && { report_id: report.data.reportId };
  },
  evolve: (row, recorded) => {
    const report = reportOf(recorded);
    if (!report || alreadyApplied(row, recorded)) return row;
    const { data } = report;
    return {
      report_id: data.reportId,
      reported_at: canonicalTime(data.reportedAt, recorded),
      region: data.region,
      police_force_area: data.policeForceArea,
      authority_type: data.firstResponderType,
      reporting_agency: data.reportingAgency,
      age_group: data.ageGroup,
      gender: data.gender,
      nationality_group: nationalityGroupOf(data.nationality),
      exploitation_types: EXPLOITATION_TYPES.filter((type) => data.exploitationTypes.includes(type)),
      exploitation_location: data.exploitationLocation,
      refusal_reason: data.refusalReason,
      revision: revisionValue(recorded),
    };
  },
};

import type { PoliceForceArea, Region } from '../shared/police-regions.model';
import type {
  AgeGroup,
  DtnRefusalReason,
  ExploitationLocation,
  ExploitationType,
  FirstResponderType,
  Gender,
} from '../shared/vocabulary.model';

export interface ReportDutyToNotifyData {
  readonly region: Region;
  /** Must be a force of `region`. */
  readonly policeForceArea: PoliceForceArea;
  /** Must be `adult`: a child is referred whatever they say (and an unknown age is presumed a child). */
  readonly ageGroup: AgeGroup;
  readonly gender: Gender;
  /** ICAO 9303 / ISO 3166-1 alpha-3 code (`XXA` stateless, `XXX` unknown). */
  readonly nationality: string;
  readonly exploitationTypes: readonly ExploitationType[];
  readonly exploitationLocation: ExploitationLocation;
  readonly reportingAgency: string;
  readonly firstResponderType: FirstResponderType;
  readonly refusalReason: DtnRefusalReason;
}

/**
 * A public authority meets its Duty to Notify (s.52 Modern Slavery Act 2015) for an adult who does
 * not consent to a referral (role `lead`, own region). Carries nothing that identifies the person.
 */
export interface ReportDutyToNotify {
  readonly type: 'ReportDutyToNotify';
  readonly reportId: string;
  readonly data: ReportDutyToNotifyData;
}

/** Every command to a `dtn-<reportId>` stream. */
export type DtnCommand = ReportDutyToNotify;

import { ROLES } from './actor.model';
import {
  type PoliceForceArea,
  POLICE_FORCE_AREAS,
  type Region,
  REGIONS,
  isForceInRegion,
} from './police-regions.model';
import type {
  AgeGroup,
  DtnRefusalReason,
  EvidenceKind,
  ExploitationLocation,
  ExploitationType,
  FirstResponderLocation,
  FirstResponderType,
  Gender,
  PanelDiscipline,
  ReconsiderationRequester,
  ReviewOutcome,
  SupportKind,
  SuspensionReason,
  Vote,
  WithdrawalBasis,
} from './vocabulary.model';
import type {
  CaseSuspendedDataV1,
  DecisionRecordedDataV1,
  DutyToNotifyReportedDataV1,
  EvidenceAddedDataV1,
  ImmediateSupportArrangedDataV1,
  PanelConvenedDataV2,
  ReconsiderationRequestedDataV1,
  ReferralRaisedDataV1,
  ReferralWithdrawnDataV1,
  SecondReviewCompletedDataV1,
} from '../generated/event-data';
import { CASE_STATUSES } from '../case/case.state';
import { CASE_EVENT_TYPES, type CaseEvent } from '../case/case.events';
import { CASE_COMMAND_TYPES, type CaseCommand } from '../case/case.commands';
import type { CaseResumedDataV1 } from '../generated/event-data';

// Compile-time checks: the domain's vocabulary and the schemas' enums are the same sets, so a
// schema change the domain does not follow (or the reverse) fails `tsc`.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function same<A, B>(_proof: Equal<A, B>): void {}

same<Region, ReferralRaisedDataV1['region']>(true);
same<Region, DutyToNotifyReportedDataV1['region']>(true);
same<PoliceForceArea, ReferralRaisedDataV1['policeForceArea']>(true);
same<AgeGroup, ReferralRaisedDataV1['ageGroup']>(true);
same<FirstResponderLocation, ReferralRaisedDataV1['firstResponderLocation']>(true);
same<FirstResponderType, ReferralRaisedDataV1['firstResponderType']>(true);
same<FirstResponderType, DutyToNotifyReportedDataV1['firstResponderType']>(true);
same<ExploitationType, ReferralRaisedDataV1['exploitationTypes'][number]>(true);
same<ExploitationType, DutyToNotifyReportedDataV1['exploitationTypes'][number]>(true);
same<ExploitationLocation, ReferralRaisedDataV1['exploitationLocation']>(true);
same<Gender, ReferralRaisedDataV1['subject']['gender']>(true);
same<Gender, DutyToNotifyReportedDataV1['gender']>(true);
same<SupportKind, ImmediateSupportArrangedDataV1['kinds'][number]>(true);
same<EvidenceKind, EvidenceAddedDataV1['kind']>(true);
same<PanelDiscipline, PanelConvenedDataV2['members'][number]['discipline']>(true);
same<Vote, DecisionRecordedDataV1['votes'][number]['vote']>(true);
same<ReviewOutcome, SecondReviewCompletedDataV1['outcome']>(true);
same<ReconsiderationRequester, ReconsiderationRequestedDataV1['requestedBy']>(true);
same<SuspensionReason, CaseSuspendedDataV1['reason']>(true);
same<WithdrawalBasis, ReferralWithdrawnDataV1['basis']>(true);
same<DtnRefusalReason, DutyToNotifyReportedDataV1['refusalReason']>(true);
same<Exclude<(typeof CASE_STATUSES)[number], 'suspended' | 'closed' | 'withdrawn'>, CaseResumedDataV1['resumedTo']>(
  true,
);
same<(typeof CASE_EVENT_TYPES)[number], CaseEvent['type']>(true);
same<(typeof CASE_COMMAND_TYPES)[number], CaseCommand['type']>(true);

describe('police regions', () => {
  it('give every force to exactly one region', () => {
    const forces = REGIONS.flatMap((region) => [...POLICE_FORCE_AREAS[region]]);
    expect(new Set(forces).size).toBe(forces.length);
    expect(Object.keys(POLICE_FORCE_AREAS).sort()).toEqual([...REGIONS].sort());
  });

  it('hold the pilot regions as the brief names them', () => {
    expect(POLICE_FORCE_AREAS['south-west']).toEqual([
      'avon-and-somerset',
      'devon-and-cornwall',
      'dorset',
      'wiltshire',
      'gloucestershire',
    ]);
    expect(POLICE_FORCE_AREAS['west-yorkshire']).toEqual(['west-yorkshire']);
    expect(isForceInRegion('dorset', 'south-west')).toBe(true);
    expect(isForceInRegion('dorset', 'west-yorkshire')).toBe(false);
  });

  it('list each role, status, command and event once', () => {
    for (const list of [ROLES, CASE_STATUSES, CASE_COMMAND_TYPES, CASE_EVENT_TYPES]) {
      expect(new Set<string>(list).size).toBe(list.length);
    }
  });
});

import type { DecisionContext } from '../shared/actor.model';
import { assertNever } from '../shared/assert-never.helper';
import { dutyInForceCheck, dutyRegionCheck, enforce, notifyingAuthorityCheck } from '../case/case.rules';
import { requireSelection, requireText } from '../shared/data.helpers';
import { InvalidHistoryError, NotPermittedError, RuleBrokenError } from '../shared/domain.errors';
import { isForceInRegion, type Region } from '../shared/police-regions.model';
import { instant } from '../shared/time.helpers';
import type { DtnCommand } from './dtn.commands';
import type { DtnEvent } from './dtn.events';
import { DUTY_TO_NOTIFY_2015 } from './duty-to-notify.definition';

/** Nothing reported yet. */
export interface NoDtnReport {
  readonly status: 'none';
}
/** Reported; a report takes no further commands. */
export interface DtnReported {
  readonly status: 'reported';
  readonly reportId: string;
  readonly region: Region;
  readonly reportedAt: string;
}
/** The state of a `dtn-<reportId>` stream. */
export type DtnState = NoDtnReport | DtnReported;

/** The state of a Duty to Notify stream with no events. */
export function initialDtnState(): DtnState {
  return { status: 'none' };
}

/**
 * Decides a Duty to Notify report. A lead of a notifying authority (the token's organisation,
 * per `DUTY_TO_NOTIFY_2015`) reports, in their own region of England and Wales, on or after
 * 1 November 2015, and only for an adult. The event holds categories only (no name, date of
 * birth, contact or free text), so the report stays anonymous.
 */
export function decideDtn(command: DtnCommand, state: DtnState, { actor, now }: DecisionContext): DtnEvent[] {
  instant(now, 'now');
  switch (command.type) {
    case 'ReportDutyToNotify': {
      const { data } = command;
      if (state.status !== 'none') {
        throw new RuleBrokenError('dtn-already-reported', `Report ${state.reportId} was made at ${state.reportedAt}`);
      }
      if (actor.role !== 'lead') {
        throw new NotPermittedError('role-not-permitted', `A ${actor.role} may not report a Duty to Notify`);
      }
      if (actor.region !== data.region) {
        throw new NotPermittedError('outside-region', `A report in ${data.region} is outside ${actor.region}`);
      }
      enforce(dutyRegionCheck(DUTY_TO_NOTIFY_2015, data.region));
      enforce(dutyInForceCheck(DUTY_TO_NOTIFY_2015, now));
      enforce(notifyingAuthorityCheck(DUTY_TO_NOTIFY_2015, actor.agency));
      if (data.ageGroup !== 'adult') {
        throw new RuleBrokenError(
          'dtn-adults-only',
          'A child (or a person of unknown age) is referred into the NRM; consent is not needed',
        );
      }
      if (!isForceInRegion(data.policeForceArea, data.region)) {
        throw new RuleBrokenError('force-not-in-region', `${data.policeForceArea} is not a force of ${data.region}`);
      }
      return [
        {
          type: 'DutyToNotifyReported',
          data: {
            reportId: command.reportId,
            reportedAt: now,
            region: data.region,
            policeForceArea: data.policeForceArea,
            ageGroup: 'adult',
            gender: data.gender,
            nationality: data.nationality,
            exploitationTypes: requireSelection(data.exploitationTypes, 'exploitationTypes'),
            exploitationLocation: data.exploitationLocation,
            reportingAgency: requireText(data.reportingAgency, 'reportingAgency'),
            firstResponderType: data.firstResponderType,
            refusalReason: data.refusalReason,
          },
        },
      ];
    }
    default:
      return assertNever(command.type);
  }
}

/** Folds a Duty to Notify event into the report's state. */
export function evolveDtn(state: DtnState, event: DtnEvent): DtnState {
  switch (event.type) {
    case 'DutyToNotifyReported':
      if (state.status !== 'none') throw new InvalidHistoryError(event.type, state.status);
      return {
        status: 'reported',
        reportId: event.data.reportId,
        region: event.data.region,
        reportedAt: event.data.reportedAt,
      };
    default:
      return assertNever(event.type);
  }
}

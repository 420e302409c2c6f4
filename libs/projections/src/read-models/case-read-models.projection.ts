import type { Row } from '@harbour/read-store';
import type { Projection, ReadModel } from '../projection';
import { caseStatusReadModel } from './case-status/case-status.read-model';
import { decisionHistoryReadModel } from './decision-history/decision-history.read-model';
import { panelScheduleReadModel } from './panel-schedule/panel-schedule.read-model';

/**
 * The case read models, projected together from one checkpoint so the case list, the decisions
 * and the panel schedule always stand at the same position. A failing event is parked and the
 * rest go on: one corrupt case must not stop every other case's list entry from updating.
 */
export const CASE_READ_MODELS: Projection = {
  name: 'case-read-models',
  // 2: case_status tracks deadlines (next deadline, overdue); the central route (reasonable
  // grounds decisions, competent authority decisions without a panel: decision_history's
  // panel_id and meeting_id may be null). 3: case_status.competent_authority (allocation by
  // nationality on the central route).
  version: 3,
  readModels: [
    asStoredModel(caseStatusReadModel),
    asStoredModel(decisionHistoryReadModel),
    asStoredModel(panelScheduleReadModel),
  ],
  onFailure: 'park',
};

/**
 * A typed model as the runner holds it, among models of other row types. The runner hands
 * `evolve` the row it loaded from the model's own table, which holds only rows this `evolve`
 * wrote, in the shape its column specs describe: reading that `Row` as `R` is the model's own
 * contract, stated once here rather than as a cast inside every `evolve`.
 */
function asStoredModel<R extends Row>(model: ReadModel<R>): ReadModel {
  return model as unknown as ReadModel;
}

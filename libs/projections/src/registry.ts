import type { Projection } from './projection';
import { CASE_READ_MODELS } from './read-models/case-read-models.projection';
import { DEADLINE_TIMERS } from './read-models/deadlines/deadlines.read-model';
import { STATISTICS } from './read-models/statistics/case-statistics.read-model';

/**
 * Every projection the projector runs, each from its own checkpoint. Adding one here is all it
 * takes to have it built from position 0 and kept live; bumping a projection's `version` makes
 * the runner rebuild it.
 */
export const PROJECTIONS: Projection[] = [CASE_READ_MODELS, DEADLINE_TIMERS, STATISTICS];

/** The projection called `name`, or undefined (e.g. for a CLI `rebuild <name>` with a typo). */
export function findProjection(name: string): Projection | undefined {
  return PROJECTIONS.find((projection) => projection.name === name);
}

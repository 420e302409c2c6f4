import { REGIONS, type Region } from '../shared/police-regions.model';

/**
 * Which workflow (by id) new referrals in each region start under; they start under its latest
 * version. Configuration, not part of a definition: a region can move to another workflow without
 * touching any definition, and a case keeps the definition and version it started under (pinned
 * in `ReferralRaised`). A region without a route takes no referrals (`no-workflow-for-region`).
 */
export type WorkflowRoutes = Readonly<Partial<Record<Region, string>>>;

const PILOT_REGIONS: readonly Region[] = ['south-west', 'west-yorkshire'];

/**
 * The 2015 routing: the pilot regions (South West and West Yorkshire) under `nrm-pilot-2015`,
 * every other region under the central route, `nrm-central-2015`.
 */
export const DEFAULT_WORKFLOW_ROUTES: WorkflowRoutes = Object.freeze(
  Object.fromEntries(
    REGIONS.map((region) => [region, PILOT_REGIONS.includes(region) ? 'nrm-pilot-2015' : 'nrm-central-2015']),
  ),
);

/** The regions whose new referrals start under workflow `id`, in the order of {@link REGIONS}. */
export function regionsRoutedTo(id: string, routes: WorkflowRoutes): Region[] {
  return REGIONS.filter((region) => routes[region] === id);
}

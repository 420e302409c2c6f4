import { auditCells, type IndexedRelation } from './disclosure/lp-audit';

/** How a suppressed figure is shown, as in the Home Office's statistics. */
export const SUPPRESSED = '[c]';

/**
 * The group heuristic, a first pass: a count from 1 to `threshold - 1` is suppressed (0 is shown:
 * it discloses nobody), and each additive group (parts and the total they sum to) must not hold
 * exactly one suppressed cell, or it could be derived from the others; where one does, the
 * smallest non-zero figure left in the group is suppressed too, until none changes. Safe for each
 * group alone, not for groups together: {@link protectCounts} audits the result.
 */
export function suppressCounts(
  values: readonly number[],
  groups: readonly (readonly number[])[],
  threshold: number,
  start?: readonly boolean[],
): boolean[] {
  const suppressed = start ? [...start] : values.map((value) => value > 0 && value < threshold);
  for (let changed = true; changed;) {
    changed = false;
    for (const group of groups) {
      if (group.filter((cell) => suppressed[cell]).length !== 1) continue;
      const complement = smallestPublished(values, suppressed, group);
      if (complement === undefined) continue;
      suppressed[complement] = true;
      changed = true;
    }
  }
  return suppressed;
}

// The smallest non-zero published figure of the cells (ties: the first); only zeros left, a zero
// (the suppressed cell is the only non-zero part, and a zero hides which one it is).
function smallestPublished(values: readonly number[], suppressed: readonly boolean[], cells: Iterable<number>) {
  const published = [...new Set(cells)].filter((cell) => !suppressed[cell]);
  const candidates = published.filter((cell) => values[cell] > 0).sort((a, b) => values[a] - values[b] || a - b);
  return candidates[0] ?? published.sort((a, b) => a - b)[0];
}

/**
 * Statistical disclosure control for every count of a release: primary suppression, the group
 * heuristic, then the linear-programming audit over all the release's relations at once (tables
 * linked by a count they share included), adding a suppression beside each cell still
 * determinable until none is. Then over-suppression is taken back: each secondary suppression,
 * largest first, is published again if the audit still finds every suppressed cell safe, so no
 * single secondary suppression could be lifted.
 *
 * Returns which cells to suppress.
 */
export async function protectCounts(
  values: readonly number[],
  relations: readonly IndexedRelation[],
  threshold: number,
): Promise<boolean[]> {
  const groups = relations.map(({ total, parts }) => [total, ...parts]);
  const related = new Map<number, Set<number>>();
  for (const group of groups) {
    for (const cell of group) {
      const set = related.get(cell) ?? new Set<number>();
      for (const other of group) if (other !== cell) set.add(other);
      related.set(cell, set);
    }
  }
  const primary = values.map((value) => value > 0 && value < threshold);
  let suppressed = suppressCounts(values, groups, threshold, primary);
  const published = () => values.map((value, cell) => (suppressed[cell] ? null : value));

  for (;;) {
    const determinable = await auditCells(published(), relations);
    if (determinable.length === 0) break;
    const next = [...suppressed];
    const added = new Set<number>();
    for (const { cell } of determinable) {
      // A cell beside one suppressed in this pass may be safe now: the next audit tells.
      if ([...(related.get(cell) ?? [])].some((other) => added.has(other))) continue;
      // The nearest published figures: in a relation with the cell, else with those, and so on.
      let complement: number | undefined;
      const seen = new Set([cell]);
      for (let ring = [cell]; complement === undefined && ring.length > 0;) {
        const wider = [...new Set(ring.flatMap((other) => [...(related.get(other) ?? [])]))].filter(
          (other) => !seen.has(other),
        );
        wider.forEach((other) => seen.add(other));
        complement = smallestPublished(values, next, wider);
        ring = wider;
      }
      if (complement === undefined) continue;
      next[complement] = true;
      added.add(complement);
    }
    if (added.size === 0) {
      throw new Error(`disclosure control: no figure left to protect cell ${determinable[0].cell}`);
    }
    suppressed = suppressCounts(values, groups, threshold, next);
  }

  // Take back over-suppression: secondary cells, largest first, published again where safe.
  const secondary = suppressed
    .map((on, cell) => (on && !primary[cell] ? cell : -1))
    .filter((cell) => cell >= 0)
    .sort((a, b) => values[b] - values[a] || a - b);
  for (const cell of secondary) {
    suppressed[cell] = false;
    const neighbours = new Set([...(related.get(cell) ?? [])].filter((other) => suppressed[other]));
    if (neighbours.size > 0 && (await auditCells(published(), relations, neighbours)).length > 0) {
      suppressed[cell] = true;
    }
  }
  return suppressed;
}

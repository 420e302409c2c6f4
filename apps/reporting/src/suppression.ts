/** How a suppressed figure is shown, as in the Home Office's statistics. */
export const SUPPRESSED = '[c]';

/**
 * Statistical disclosure control for a grid of counts.
 *
 * - **Primary**: a count from 1 to `threshold - 1` is suppressed (0 is shown: it discloses nobody).
 * - **Secondary**: each additive group (parts and the total they sum to: a row and its total, a
 *   column and its total, the routes and "all routes") must not hold exactly one suppressed cell,
 *   or it could be derived from the others. Where one does, the smallest non-zero figure left in
 *   the group is suppressed too, and the groups are checked again until none changes. This is the
 *   usual heuristic: safe for the groups declared, not minimal.
 *
 * Returns which cells to suppress.
 */
export function suppressCounts(
  values: readonly number[],
  groups: readonly (readonly number[])[],
  threshold: number,
): boolean[] {
  const suppressed = values.map((value) => value > 0 && value < threshold);
  for (let changed = true; changed;) {
    changed = false;
    for (const group of groups) {
      if (group.filter((cell) => suppressed[cell]).length !== 1) continue;
      const candidates = group
        .filter((cell) => !suppressed[cell] && values[cell] > 0)
        .sort((a, b) => values[a] - values[b] || a - b);
      // Only zeros left: the suppressed cell is the group's only non-zero part, and its total
      // equals it; the zeros give nothing away, so a zero is suppressed to hide which part it is.
      const complement = candidates[0] ?? group.find((cell) => !suppressed[cell]);
      if (complement === undefined) continue;
      suppressed[complement] = true;
      changed = true;
    }
  }
  return suppressed;
}

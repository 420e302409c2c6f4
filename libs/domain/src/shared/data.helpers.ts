import { RuleBrokenError } from './domain.errors';
import { resolveOrganisationId } from './organisations.data';

/** A non-blank string (events never hold blank text: the schemas require at least one character). */
export function requireText(value: string, field: string): string {
  if (value.trim() === '') throw new RuleBrokenError('text-required', `${field} must not be blank`);
  return value;
}

/**
 * The registry id of the organisation `text` names (its id, or its name under any spelling the
 * registry knows); refused, naming the field, when it names none.
 */
export function requireOrganisation(text: string, field: string): string {
  requireText(text, field);
  const id = resolveOrganisationId(text);
  if (id === undefined) {
    throw new RuleBrokenError(
      'unknown-organisation',
      `${field} names no organisation of the registry: give its id (GET /organisations), e.g. dorset-police`,
      field,
    );
  }
  return id;
}

/** A non-empty choice list, without duplicates (order kept). */
export function requireSelection<T>(values: readonly T[], field: string): T[] {
  if (values.length === 0) throw new RuleBrokenError('selection-required', `${field} needs at least one value`);
  return [...new Set(values)];
}

/** `{ [key]: value }`, or nothing when the value is absent, so events never carry `undefined`. */
export function optional<Key extends string, Value>(key: Key, value: Value | undefined): { [K in Key]?: Value } {
  return (value === undefined ? {} : { [key]: value }) as { [K in Key]?: Value };
}

/** Like {@link optional}, and blank text counts as absent. */
export function optionalText<Key extends string>(key: Key, value: string | undefined): { [K in Key]?: string } {
  return optional(key, value === undefined || value.trim() === '' ? undefined : value);
}

import { GENDERS, type Gender } from '@harbour/domain';

/** Gender as the statistics publish it: the form's three values, or not known. */
export type GenderCategory = Gender | 'not-known';

/** What the statistics take from the potential victim's personal details: categories only. */
export interface SubjectCategories {
  readonly gender: GenderCategory;
}

/**
 * The one place the statistics read `ReferralRaised.subject`. Only a category leaves it, never a
 * value that could identify the person. The subject's personal fields are to be encrypted in the
 * event store (issue 7): when a field this reads becomes ciphertext, adapt this function (decrypt,
 * or read a category the write path records in the clear) and nothing else. Until then, anything
 * that is not one of the known categories (ciphertext, an erased subject) counts as not known
 * rather than failing the projection.
 */
export function subjectCategoriesOf(subject: unknown): SubjectCategories {
  const gender =
    typeof subject === 'object' && subject !== null ? (subject as { readonly gender?: unknown }).gender : undefined;
  return { gender: (GENDERS as readonly unknown[]).includes(gender) ? (gender as Gender) : 'not-known' };
}

/**
 * Makes plain data readonly all the way down. The generated event data types are mutable (the
 * generator cannot emit `readonly`), while events are immutable facts.
 */
export type DeepReadonly<T> = T extends (infer Item)[]
  ? readonly DeepReadonly<Item>[]
  : T extends object
    ? { readonly [Key in keyof T]: DeepReadonly<T[Key]> }
    : T;

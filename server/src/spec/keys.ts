// The types of the spec vocabulary's key tables (spec/vocab.ts, the layer modules in layers/): pure types, imported
// by both without a cycle.

export type ValueType =
  | { t: 'int'; min?: number; max?: number }
  | { t: 'number'; min?: number; max?: number; exclusiveMin?: boolean; exclusiveMax?: boolean }
  | { t: 'bool' }
  | { t: 'string' }
  | { t: 'enum'; values: readonly string[] }
  /** An integer or a `[h, w]` pair of them. */
  | { t: 'intPair'; min: number }
  /** `padding`: an integer, `[h, w]`, or `same`. */
  | { t: 'padding' }
  /** A list of integers (shapes, permutations); `minusOne` allows one -1 entry. */
  | { t: 'intList'; min: number; minusOne?: boolean; nonEmpty?: boolean }
  /** A name or a list of names. */
  | { t: 'names' }
  | { t: 'optimizer' }
  | { t: 'parallel' }
  | { t: 'mapping' }
  | { t: 'layers' };

export interface KeyInfo {
  key: string;
  doc: string;
  type: ValueType;
  /** Default as shown to users (hover, schema) and applied when the key is absent; absent when required or derived. */
  default?: string | number | boolean;
  required?: boolean;
  /** A layer key: the LayerAttrs field it is read into (default: the key in camelCase). */
  attr?: string;
}

/** one, exactly two, two or more, any number from one (elementwise operators of any arity), or none (an input). */
export type InputArity = 'one' | 'two' | 'many' | 'any' | 'none';

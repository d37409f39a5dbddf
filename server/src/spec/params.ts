// Hardware parameters are declared once, here-typed, per target kind (server/src/kinds/<kind>/params.ts).
// The same declarations produce the JSON Schema (schemas/hardware.schema.json), the hover text, the defaults
// applied under `extends`, and the typed parameter record the simulator reads. Every preset value cites a source.
import type { ParamValue, SourceTag, TargetKind } from './types';

/**
 * Physical dimension of a parameter. Values are written with units in specs (`1.25 GHz`) and stored in SI:
 * frequency Hz, bandwidth B/s, size B, time s, energy J, energyPerByte J/B, energyPerFlop J/FLOP, power W,
 * area m^2, flopRate FLOP/s. `count` is a plain integer, `number` a plain real, `ratio` a real in [0, 1],
 * `enum` one of `values`, `bool` true/false, `string` free text, `precisionList` a list of precisions.
 */
export type Dimension =
  | 'frequency'
  | 'bandwidth'
  | 'size'
  | 'time'
  | 'energy'
  | 'energyPerByte'
  | 'energyPerFlop'
  | 'power'
  | 'area'
  | 'flopRate'
  | 'count'
  | 'number'
  | 'ratio'
  | 'enum'
  | 'bool'
  | 'string';

export interface ParamSpec {
  /** Dotted path inside the target mapping, e.g. `compute.clusters` -> `compute: { clusters: ... }`. */
  path: string;
  dim: Dimension;
  /** What it means, for hover and the schema description. One or two sentences. */
  doc: string;
  /** Default value (SI) used when neither the target nor its `extends` chain sets it. */
  default: ParamValue;
  /** Why the default is what it is. Defaults that no source states are tagged ASM. */
  defaultTag: SourceTag;
  defaultSource: string;
  /** Inclusive bounds in SI (checked with a diagnostic). */
  min?: number;
  max?: number;
  /** For `enum`. */
  values?: string[];
}

export interface PresetValue {
  /** As a user would write it in a spec, with a unit where the dimension has one (e.g. '1.25 GHz'). */
  value: ParamValue;
  tag: SourceTag;
  /** Citation, e.g. "[N3] NTX DATE 2019: 20 Gflop/s at 1.25 GHz, 168 mW". */
  source: string;
}

export interface PresetSpec {
  name: string;
  kind: TargetKind;
  description: string;
  /** Parameter values by dotted path; parameters not listed take the kind's default. */
  values: Record<string, PresetValue>;
  /** What could not be reproduced or sourced, shown in hover and `accelmap targets`. */
  notes: string[];
  /** Figures the preset is known to reproduce (for `accelmap targets`). */
  keyFigures?: string[];
}

export interface KindSpec {
  kind: TargetKind;
  /** One line for completion and the schema. */
  title: string;
  params: ParamSpec[];
  presets: PresetSpec[];
}

/** A cited preset value: `presetValue('1.25 GHz', 'SRC', '[N3] ...')`. */
export function presetValue(value: PresetValue['value'], tag: PresetValue['tag'], source: string): PresetValue {
  return { value, tag, source };
}

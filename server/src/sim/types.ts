// Result types of the simulator. These are the only simulator types the client, the webview and the CLI's
// JSON output depend on; `--format json` serialises `SimulationResult` as is (all SI units: s, J, B, B/s, FLOP/s).

export const RESULT_SCHEMA_VERSION = 1;

export type Phase = 'fwd' | 'bwd_data' | 'bwd_weight' | 'update';
export const PHASES: readonly Phase[] = ['fwd', 'bwd_data', 'bwd_weight', 'update'];

/** Where a phase ran. */
export type Engine = 'accelerator' | 'host' | 'in-memory' | 'digital';

export type Bound = 'compute' | 'memory' | 'overhead';

/** Energy split by component, joules. */
export interface EnergyBreakdown {
  compute: number;
  sram: number;
  dram: number;
  link: number;
  control: number;
  static: number;
}

/** Bytes moved per memory level, keyed by the target's level names (e.g. { dram: 1.2e6, sram: 3.4e6 }). */
export type BytesPerLevel = Record<string, number>;

/** Timeloop-style problem dimensions of a layer (conv: N C K H W P Q R S + strides, groups; matmul: M N K). */
export type Dims = Record<string, number>;

export interface PhaseResult {
  phase: Phase;
  engine: Engine;
  flops: number;
  bytes: BytesPerLevel;
  timeS: number;
  computeS: number;
  memoryS: number;
  /** Exposed offload / control / configuration time. */
  overheadS: number;
  bound: Bound;
  /** Achieved bandwidth at the outermost level (bytes / time). */
  bandwidthBps: number;
  /** Achieved FLOP/s over the target's peak at this phase's precision. */
  utilization: number;
  energyJ: number;
  energy: EnergyBreakdown;
  /** FLOPs per byte at the outermost memory level. */
  intensity: number;
  /**
   * How the target mapped the phase, in its own terms: a spatial target's loop nest in one line, NTX's output tile,
   * reduction chunk and commands, NeuroTrainer's data flow, CATERPILLAR's mode, the IMC engine, GradPIM's update
   * placement, the GPU's kernel. Absent where a target has nothing to choose.
   */
  mapping?: string;
}

export interface LayerResult {
  name: string;
  op: string;
  dims: Dims;
  phases: PhaseResult[];
}

export interface Totals {
  timeS: number;
  /**
   * Time of each training phase summed over the layers (what the phase-split chart shows without reading every
   * layer). Where a model overlaps phases or layers, these add up to more than `timeS`.
   */
  phaseS: Record<Phase, number>;
  energyJ: number;
  flops: number;
  bytes: BytesPerLevel;
  offloadOverheadS: number;
  utilization: number;
  flopsPerJoule: number;
  samplesPerS: number;
  energy: EnergyBreakdown;
}

export type Lane = string; // 'host' | 'offload' | 'dma' | 'engine:<group>' | 'in-memory' | ...

export interface TimelineEvent {
  lane: Lane;
  layer: string;
  phase: Phase;
  /** 'compute' | 'dma' | 'config' | 'stall' | 'update' ... */
  kind: string;
  startS: number;
  endS: number;
}

export interface MemoryLevelPeak {
  name: string;
  bandwidthBps: number;
  sizeB: number;
}

export interface TargetResult {
  name: string;
  kind: string;
  peak: { flops: number; bandwidth: Record<string, number>; levels: MemoryLevelPeak[] };
  totals: Totals;
  layers: LayerResult[];
  timeline: TimelineEvent[];
  /** Ratios against the baseline target (absent when this is the baseline or none was chosen). */
  vsBaseline?: { baseline: string; speedup: number; energyRatio: number; efficiencyRatio: number };
  /** Silicon area, for kinds that model it (caterpillar, spatial): the total and its parts. */
  area?: AreaBreakdown;
  /** What the model found about this run, as typed records (sim/findings.ts); act on `code`, not on `message`. */
  findings: import('./findings').Finding[];
  /** Sentences for people: the findings' messages, then the target's own notes (preset caveats). */
  notes: string[];
}

/** Silicon area in m² (SI, as every figure of a result), and its parts. */
export interface AreaBreakdown {
  m2: number;
  parts: { name: string; m2: number }[];
}

export interface SimulationResult {
  schemaVersion: number;
  network: { name: string; batch: number; precision: string; layerCount: number; flops: number };
  baseline?: string;
  targets: TargetResult[];
}

// ------------------------------------------------------------------------------------------- mapping view
// What the dashboard's Mapping view shows for one layer (accelmap/mapping, fetched on demand): per target and
// training phase, how the phase was mapped. A spatial target's phases are loop nests with per-level occupancy,
// accesses and energy per tensor, and the mapper's spread; the seed targets' phases carry their own model's choice.

export interface MappingTensorView {
  /** Data space (Weights, Inputs, Outputs) and its role in this phase (e.g. OutputGrads, WeightGrads). */
  name: string;
  role: string;
  /** Words of one tile held per instance. */
  tileWords: number;
  instances: number;
  /** Per instance (Timeloop's stats). */
  reads: number;
  fills: number;
  updates: number;
  /** Over all instances: (reads + fills + updates) x instances, and their energy. */
  accesses: number;
  energyJ: number;
}

export interface MappingLevelView {
  name: string;
  /** Words per instance: held (sum of the kept tiles) and capacity (absent: unbounded). */
  occupancyWords: number;
  capacityWords?: number;
  /** Compute cycles over this level's cycles (1 = not bandwidth bound). */
  throttling: number;
  energyJ: number;
  tensors: MappingTensorView[];
}

export interface MappingPhaseView {
  phase: Phase;
  /** Nest name when a phase is several nests (strided backward-data), else the phase's. */
  nest: string;
  /**
   * searched: the mapper's (full budget); pinned: the spec's mapping: met; provisional: the quick search, the full
   * one still running; fixed: the target's own model (seed targets), not searched.
   */
  status: 'searched' | 'pinned' | 'provisional' | 'fixed';
  /** The target's choice in one line (PhaseResult.mapping). */
  summary: string;
  /** The loop nest with tiles per level (spatial targets). */
  loopNest?: string[];
  utilization: number;
  cycles?: number;
  computes?: number;
  energyJ: number;
  /** Spatial: per storage level; seed targets: bytes per memory level only (tensors empty). */
  levels: MappingLevelView[];
  bytes?: BytesPerLevel;
  search?: {
    evaluated: number;
    legal: number;
    seconds: number;
    spread: { metric: string; best: number; median: number; worst: number }[];
  };
}

export interface MappingTargetView {
  target: string;
  kind: string;
  phases: MappingPhaseView[];
  note?: string;
}

export interface MappingReport {
  uri: string;
  layer: string;
  op: string;
  targets: MappingTargetView[];
}

// ------------------------------------------------------------------------------------------------ explanations

/** What is explained: the whole training step (no layer), a layer, or one phase of a layer. */
export interface ExplainScope {
  layer?: string;
  phase?: Phase;
}

/** One phase's time as its terms, with the arithmetic behind each (sim/explain.ts). */
export interface ExplainPhase {
  phase: Phase;
  timeS: number;
  bound: Bound;
  computeS: number;
  memoryS: number;
  overheadS: number;
  flops: number;
  utilization: number;
  energyJ: number;
  energy: EnergyBreakdown;
  /** Bytes per memory level, with the level's peak bandwidth and the time they would take at it. */
  levels: { name: string; bytes: number; peakBps?: number; atPeakS?: number }[];
  /**
   * "compute 1.2 ms = 2.4 GFLOP at 2 TFLOP/s (62% of the 3.2 TFLOP/s peak)", memory, overhead, and how they combine.
   */
  formulas: string[];
  /** How the target mapped the phase (PhaseResult.mapping). */
  mapping?: string;
}

/** d ln(result) / d ln(parameter) of time and energy, with where the parameter's value came from. */
export interface ExplainSensitivity {
  path: string;
  value: number;
  /** The value as a spec writes it, with its unit ("38 us", "2.96 TB/s"). */
  valueText: string;
  time: number;
  energy: number;
  /** One line: preset and source tag, spec line, or the kind's default. */
  source: string;
}

export interface ExplainReport {
  network: string;
  target: string;
  kind: string;
  scope: ExplainScope;
  timeS: number;
  energyJ: number;
  /** The phases of the layer in scope (empty for the whole step). */
  phases: ExplainPhase[];
  /** The step's totals (whole-step scope only). */
  totals?: Pick<Totals, 'timeS' | 'offloadOverheadS' | 'energyJ' | 'energy' | 'bytes' | 'flops' | 'utilization'>;
  /** Every numeric knob of the target, the largest |time| elasticity first. */
  sensitivities: ExplainSensitivity[];
}

// ------------------------------------------------------------------------------------------------ design-space sweeps

export type SweepObjective = 'time' | 'energy' | 'edp' | 'samples_per_s' | 'samples_per_j' | 'area';

/** A design point of a sweep: its index, its axis values, its objectives. */
/** A design point of a sweep report; `o.area` only when the target's kind models area. */
export interface SweepPoint {
  i: number;
  values: (number | string)[];
  o: Record<Exclude<SweepObjective, 'area'>, number> & { area?: number };
}

/** A sweep run from the editor (accelmap/runSweep): what the dashboard's Sweep view draws. */
export interface SweepReport {
  uri: string;
  name: string;
  network: string;
  target: string;
  total: number;
  evaluated: number;
  feasible: number;
  seconds: number;
  cancelled: boolean;
  /** Each axis with its values and their labels with units ("640 GB/s"). */
  axes: { name: string; kind: string; values: (number | string)[]; labels: string[] }[];
  /** The objectives the sweep spec names (the first two are the Pareto view's default pair). */
  objectives: SweepObjective[];
  /** An even sample of the feasible points plus every point on the Pareto front of any pair of objectives. */
  points: SweepPoint[];
  /** Per axis and value: the best and the median of each objective over the feasible points with that value. */
  effects: {
    axis: string;
    values: (number | string)[];
    best: Record<SweepObjective, number[]>;
    median: Record<SweepObjective, number[]>;
  }[];
}

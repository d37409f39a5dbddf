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
}

export interface LayerResult {
  name: string;
  op: string;
  dims: Dims;
  phases: PhaseResult[];
}

export interface Totals {
  timeS: number;
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
  /** What the model found about this run, as typed records (sim/findings.ts); act on `code`, not on `message`. */
  findings: import('./findings').Finding[];
  /** Sentences for people: the findings' messages, then the target's own notes (preset caveats). */
  notes: string[];
}

export interface SimulationResult {
  schemaVersion: number;
  network: { name: string; batch: number; precision: string; layerCount: number; flops: number };
  baseline?: string;
  targets: TargetResult[];
}

// The parsed model of accelmap spec files, with source ranges.
// Data flows one way: spec text -> SpecDocument (this file) -> lowered workload (sim/lower.ts)
// -> per-target results (sim/types.ts) -> presentations. Nothing here imports `vscode` or the LSP library.

/** Zero-based line and UTF-16 column, as in LSP. */
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A text edit proposed by a quick fix. */
export interface TextEdit {
  range: Range;
  newText: string;
}
export interface QuickFix {
  title: string;
  edits: TextEdit[];
  isPreferred?: boolean;
}

/**
 * One problem in a spec file. `code` is stable per kind of problem (see spec/codes.ts); `message` says what is
 * wrong and, where possible, how to fix it.
 */
export interface SpecDiagnostic {
  range: Range;
  severity: Severity;
  code: string;
  message: string;
  fixes?: QuickFix[];
  related?: { uri: string; range: Range; message: string }[];
}

export type SpecKind = 'network' | 'hardware';

// ---------------------------------------------------------------------------------------------- network

/** Precisions a network (or a target) can compute in. `radix4` is the FP4 1-3-0 radix-4 format of Sun et al. */
export type Precision = 'fp32' | 'tf32' | 'fp16' | 'bf16' | 'fp8' | 'int8' | 'int4' | 'radix4';

export type OptimizerKind = 'sgd' | 'momentum' | 'adam' | 'adamw';
export interface Optimizer {
  type: OptimizerKind;
  lr: number;
  momentum: number; // momentum only
  weightDecay: number;
  beta1: number; // adam(w) only
  beta2: number;
  eps: number;
}

/** A `type:` value of a layer: the keys of the layer registry (layers/index.ts), one module per type. */
export type { LayerType } from '../layers/index';
import type { LayerType } from '../layers/index';

/**
 * Shapes exclude the batch dimension: [C, H, W] for images, [T, F] for sequences, [F] for vectors.
 * The batch size is `NetworkModel.batch` and is prepended when a full tensor shape is shown.
 */
export type Shape = number[];

/** Resolved attributes of a layer (defaults applied). Only those relevant to the layer's type are set. */
/** A training phase that has a loop nest (the mapping of a layer is given per phase, or for `all` of them). */
export type NestPhaseName = 'fwd' | 'bwd_data' | 'bwd_weight';

/**
 * One storage level of a mapping written in a network spec: the parts given are fixed, the rest is left to the mapper.
 */
export interface LevelPin {
  level: string;
  /** Temporal factor per dimension at this level. */
  temporal?: Record<string, number>;
  /** Temporal loop order, outermost first. */
  order?: string[];
  /** Spatial factor per dimension (split over the instances below this level). */
  spatial?: Record<string, number>;
  spatialX?: string[];
  keep?: string[];
  bypass?: string[];
  range: Range;
}

/** `mapping:` of a layer: pins per phase (`all` applies to every phase without its own). */
export interface LayerMapping {
  phases: Partial<Record<NestPhaseName | 'all', LevelPin[]>>;
  ranges: Partial<Record<NestPhaseName | 'all', Range>>;
}

export interface LayerAttrs {
  /** `mapping:` on a spatial target (conv / matrix-product layers). */
  mapping?: LayerMapping;
  // conv2d / pooling
  outChannels?: number; // K
  kernel?: [number, number]; // [R (height), S (width)]
  stride?: [number, number];
  padding?: [number, number]; // symmetric [pad_h, pad_w]
  dilation?: [number, number];
  groups?: number;
  bias?: boolean;
  outputSize?: [number, number]; // adaptive_avgpool
  ceilMode?: boolean;
  // linear
  outFeatures?: number;
  // matmul: A[..., M, K] x B[..., K, N] (B transposed when transposeB)
  transposeA?: boolean;
  transposeB?: boolean;
  // lstm / gru
  hiddenSize?: number;
  numLayers?: number;
  bidirectional?: boolean;
  returnSequences?: boolean; // default true
  // embedding
  numEmbeddings?: number;
  embeddingDim?: number;
  // concat / softmax / flatten
  axis?: number;
  // reshape / transpose
  shape?: number[];
  perm?: number[];
  // dropout / leaky_relu
  p?: number;
  negativeSlope?: number;
  // conv_transpose2d
  outputPadding?: [number, number];
  // groupnorm: channel groups normalised together (groups = channels is instance norm)
  numGroups?: number;
  // resize: output size of the trailing dims; interpolation mode
  size?: number[];
  mode?: string;
  // pad: [begin..., end...] per trailing dim (batch excluded)
  pads?: number[];
  // slice: one axis, [start, end) with step; keepDim false drops the axis (an index, as Gather with a scalar)
  start?: number;
  end?: number;
  step?: number;
  keepDim?: boolean;
  // reduce: axes (batch excluded), keep_dims
  axes?: number[];
  keepDims?: boolean;
  // elementwise / reduce: the operator (e.g. `Where`, `Exp`, `CumSum`, `mean`) and flops per output element
  op?: string;
  flops?: number;
  // unsupported (from an ONNX import)
  opType?: string;
  // where the layer came from, e.g. the ONNX node name
  origin?: string;
}

export interface LayerModel {
  index: number;
  name: string;
  type: LayerType;
  attrs: LayerAttrs;
  /** Indices of producer layers; -1 is the network input. */
  inputs: number[];
  inShapes: Shape[];
  outShape: Shape;
  /** Trainable parameter count (weights + bias, or gamma + beta). */
  params: number;
  /** Forward multiply-accumulates for the whole batch (0 for layers without MACs). */
  macs: number;
  ranges: LayerRanges;
}

export interface LayerRanges {
  /** The whole mapping node of the layer. */
  node: Range;
  /** The `name:` value (or the node start when absent). */
  name: Range;
  type: Range;
  /** Range of each key's value, by spec key (e.g. `kernel_size`, `inputs`). */
  keys: Record<string, Range>;
  /** Ranges of each entry of `inputs:`. */
  inputEntries: Range[];
}

export interface NetworkModel {
  kind: 'network';
  name: string;
  batch: number;
  precision: Precision;
  /** Weights kept in fp32 for a mixed-precision run (null when the network trains in one precision). */
  masterWeights: Precision | null;
  gradientPrecision: Precision;
  optimizer: Optimizer;
  inputShape: Shape;
  /** Target names the network asks to be evaluated on (may be empty). */
  targets: string[];
  /** Hardware spec files named by the network, relative to its own folder. */
  hardwareFiles: string[];
  layers: LayerModel[];
  /**
   * How the network is split over the devices of a `system` target (`parallel:`); absent = the system's own strategy.
   */
  parallel?: ParallelSpec;
  ranges: { root: Range; keys: Record<string, Range>; targetEntries: Range[] };
}

/** `parallel:` of a network spec: any of the system's parallel knobs (unset ones keep the system target's). */
export interface ParallelSpec {
  dp?: number;
  tp?: number;
  pp?: number;
  microBatches?: number;
  schedule?: '1f1b' | 'gpipe';
  zero?: 0 | 1 | 2 | 3;
  recompute?: boolean;
}

// --------------------------------------------------------------------------------------------- hardware

/** A target kind: the keys of the kind registry (kinds/params.ts), one folder per kind. */
export type { TargetKind } from '../kinds/params';
import type { TargetKind } from '../kinds/params';

/** Where a resolved parameter value came from: a preset (with its citation) or a spec file location. */
export type Provenance =
  | { from: 'preset'; preset: string; tag: SourceTag; source: string }
  | { from: 'spec'; target: string; uri: string; range: Range }
  | { from: 'default'; tag: SourceTag; source: string };

/** SRC stated in a source, DER derived from SRC values, REC recalled/unverified, ASM an assumption of ours. */
export type SourceTag = 'SRC' | 'DER' | 'REC' | 'ASM';

export type ParamValue = number | string | boolean;

export interface TargetModel {
  name: string;
  kind: TargetKind;
  description: string;
  /** Chain of `extends`, nearest first (e.g. ['ntx-64', 'ntx']). */
  extendsChain: string[];
  /** Every parameter of the kind, resolved to SI units, by dotted path (e.g. `compute.clusters`). */
  params: Record<string, ParamValue>;
  provenance: Record<string, Provenance>;
  notes: string[];
  /** Present when the target is defined in a file (absent for a built-in preset). */
  ranges?: { node: Range; name: Range; keys: Record<string, Range> };
  /** A system's device when it is a target defined in a hardware file (a preset device is looked up by name). */
  device?: TargetModel;
}

export interface HardwareModel {
  kind: 'hardware';
  targets: TargetModel[];
}

/** The result of analysing one spec document: everything the editor, CLI and simulator need. */
export interface SpecDocument {
  uri: string;
  version?: number;
  format: 'yaml' | 'json';
  kind: SpecKind | null;
  diagnostics: SpecDiagnostic[];
  network?: NetworkModel;
  hardware?: HardwareModel;
  /**
   * The format-agnostic syntax tree with source offsets (spec/ast.ts), for editor features: spec/locate.ts finds
   * the key path at a position. Absent when the document was too large to parse.
   */
  syntax?: import('./ast').SpecSyntax;
}

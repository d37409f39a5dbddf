// What a layer type is, in one place: the contract every module of layers/ fulfils. A module holds everything about
// its type — the spec keys (fields, types, defaults, docs: the schema fragment, completion and hover text), any
// reading the keys' types do not cover, shape inference with its diagnostics, the lowering to training phases
// (FLOPs, MACs, tensors per role) and the ONNX operators that import as it — and layers/index.ts registers it.
// Everything else is derived from the registry: the vocabulary (spec/vocab.ts) and from it the JSON Schemas,
// completion and hover; attribute reading (spec/network.ts), shape inference (spec/shapes.ts), the lowering
// dispatch (sim/lower.ts), the loop-nest form (sim/nest/training.ts, by the type's class), the layer table of
// docs/layers.md and the grammar's type list (scripts/gen-schemas.ts).
//
// Pure: a module imports types only (spec/types, spec/keys, sim/workload, sim/types) and the helpers of this folder,
// so the spec core, the simulator and the importer can all read the registry without reaching into each other.
import type { AstNode } from '../spec/ast';
import type { Code } from '../spec/codes';
import type { InputArity, KeyInfo } from '../spec/keys';
import type { LayerAttrs, LayerModel, Shape } from '../spec/types';
import type { Dims } from '../sim/types';
import type { ElementBytes, LayerClass, TensorRole, WorkKind } from '../sim/workload';

/** Reading the keys the key types do not cover (spec/network.ts reads the others from `keys`). */
export interface AttrReader {
  readonly attrs: LayerAttrs;
  /** The value node of one of the type's keys, when given. */
  get(key: string): AstNode | undefined;
  readIntPair(n: AstNode, key: string, min: number): [number, number] | undefined;
  /** An error at a node. */
  error(code: Code, at: AstNode, message: string): void;
  /** A value the shape depends on is unusable (already reported): the output shape is unknown. */
  fail(): void;
  /** `padding: same`: the output keeps the input's spatial size. */
  setSamePadding(): void;
}

/** Output shape (batch excluded), parameter count and forward MACs for the batch. */
export interface Inferred {
  shape: Shape;
  params: number;
  macs: number;
}

/** Shape inference of one layer whose inputs' shapes are known. */
export interface InferCtx {
  readonly type: string;
  readonly attrs: LayerAttrs;
  /** The inputs' shapes, batch excluded; `x` is the first. */
  readonly ins: readonly Shape[];
  readonly x: Shape;
  /** The producers' names (`input` for the network input), for messages. */
  readonly names: readonly string[];
  /** Batch size. */
  readonly N: number;
  readonly samePadding: boolean;
  /** `output_shape:` when the spec states a valid one; `hasOutputShape` when it has the key at all. */
  readonly statedShape: Shape | undefined;
  readonly hasOutputShape: boolean;
  /** Checks the input's rank (`ok`), reporting `a [C,H,W]`-style expectations otherwise. */
  rank(want: string, ok: boolean): boolean;
  /** Checks every output dimension is at least 1; `why` explains (built only on failure), at `key`'s value. */
  positive(shape: Shape, why: () => string, key: string): boolean;
  /** An error at `key`'s value (`type`: the type; absent: the layer's `inputs:`, else its type). */
  error(code: Code, message: string, key?: string): void;
  warn(code: Code, message: string, key?: string): void;
}

/** Tensor accesses of one training phase (accumulated; the lowering turns them into a PhaseWork). */
export interface PhaseBuilder {
  add(role: TensorRole, bytes: number, rw: 'r' | 'w'): PhaseBuilder;
}

/**
 * Lowering one layer: the module fills the forward, backward-data and backward-weight builders and the figures
 * below; sim/lower.ts adds the update phase and decides which phases exist (backward-data only when the input
 * needs a gradient, backward-weight and update only with parameters).
 */
export interface LowerCtx {
  readonly L: LayerModel;
  /** Batch, output elements, input elements (all inputs), parameters — for the batch. */
  readonly N: number;
  readonly E: number;
  readonly Ein: number;
  readonly W: number;
  readonly out: Shape;
  /** Element sizes; `a` activations and `g` gradients in bytes. */
  readonly b: ElementBytes;
  readonly a: number;
  readonly g: number;
  readonly fwd: PhaseBuilder;
  readonly bd: PhaseBuilder;
  readonly bw: PhaseBuilder;
  /** Dimensions the target models read (default { E }). */
  dims?: Dims;
  /** FLOPs and MACs per phase (forward, backward-data, backward-weight) and the forward's kind of work. */
  fF: number;
  fM: number;
  dF: number;
  dM: number;
  wF: number;
  wM: number;
  fKind: WorkKind;
  /** Bytes kept from the forward pass for the backward pass. */
  saved: number;
}

export interface LayerDef {
  /** The `type:` value. */
  type: string;
  doc: string;
  /** The shape rule, batch excluded (docs, hover). */
  shapes: string;
  inputs: InputArity;
  /** The type's own keys (the common ones are spec/vocab.ts COMMON_LAYER_KEYS). */
  keys: readonly KeyInfo[];
  /** Reading beyond the key types (derived defaults, `padding: same`), after the keys are read. */
  read?(r: AttrReader): void;
  infer(c: InferCtx): Inferred | null;
  /** The class the target models cost it as (conv, matmul, rnn, norm, pool, eltwise, embedding, reshape). */
  cls: LayerClass;
  lower(c: LowerCtx): void;
  /** ONNX operators the importer (onnx/ops) turns into this type. */
  onnx: readonly string[];
}

// Graph inputs: which are the network's data input and which are parameters (export_params=False lists weights
// as graph inputs), where its batch axis is, and the batch size (--batch or the exported one). Inputs are told
// apart by how the graph uses them, never by their names: exporters name data inputs `input.1`, `onnx::Gather_0`
// or `x`, and parameters anything at all.
import type { GraphInfo, NodeInfo, ValueInfo } from './proto';
import { attrI, type TensorState } from './shapes';
import { ImportError } from './errors';

/** ONNX input slots that hold parameters (weights, biases, statistics), by op type. */
const WEIGHT_SLOTS: Record<string, number[]> = {
  Conv: [1, 2],
  ConvTranspose: [1, 2],
  Gemm: [1, 2],
  BatchNormalization: [1, 2, 3, 4],
  LayerNormalization: [1, 2],
  InstanceNormalization: [1, 2],
  GroupNormalization: [1, 2],
  LSTM: [1, 2, 3, 5, 6, 7],
  GRU: [1, 2, 3, 5],
  RNN: [1, 2, 3, 5],
  PRelu: [1],
  SkipLayerNormalization: [2, 3, 4],
  Attention: [1, 2],
  EmbedLayerNormalization: [2, 3, 4, 5, 6],
};
/** Input slots that only data reaches: the activation operand of the operators that start a network. */
const DATA_SLOTS: Record<string, number[]> = {
  Conv: [0],
  ConvTranspose: [0],
  LSTM: [0],
  GRU: [0],
  RNN: [0],
  MaxPool: [0],
  AveragePool: [0],
  BatchNormalization: [0],
};
/** Integer element types (TensorProto.DataType): INT32, INT64, UINT8, INT8, UINT16, INT16, UINT32, UINT64. */
const INT_TYPES = new Set([6, 7, 2, 3, 4, 5, 12, 13]);
const GATHERS = new Set(['Gather', 'GatherElements', 'GatherND', 'EmbedLayerNormalization']);

export interface Usage {
  /** Consumers (and graph outputs) per tensor name. */
  uses: Map<string, number>;
  consumers: Map<string, NodeInfo[]>;
  /** Tensors read only at weight slots. */
  weightOnly: Map<string, boolean>;
}

export function usage(g: GraphInfo): Usage {
  const uses = new Map<string, number>();
  const consumers = new Map<string, NodeInfo[]>();
  const weightOnly = new Map<string, boolean>();
  for (const n of g.nodes) {
    n.inputs.forEach((t, i) => {
      if (!t) return;
      uses.set(t, (uses.get(t) ?? 0) + 1);
      const list = consumers.get(t);
      if (list) list.push(n);
      else consumers.set(t, [n]);
      const slot = (WEIGHT_SLOTS[n.opType] ?? []).includes(i) || (n.opType === 'Gather' && i === 0);
      weightOnly.set(t, (weightOnly.get(t) ?? true) && slot);
    });
  }
  // Subgraphs (If branches, Loop bodies) read outer tensors by name: those count as uses by the node.
  for (const n of g.nodes) {
    for (const t of outerReads(n)) {
      uses.set(t, (uses.get(t) ?? 0) + 1);
      const list = consumers.get(t);
      if (list) list.push(n);
      else consumers.set(t, [n]);
      weightOnly.set(t, false);
    }
  }
  for (const o of g.outputs) uses.set(o.name, (uses.get(o.name) ?? 0) + 1);
  return { uses, consumers, weightOnly };
}

export interface Inputs {
  batch: number;
  origBatch: number;
  inB: number;
  inputShape: number[];
  dims: Map<string, number>;
  batchDim?: string;
  /** Further data inputs (a mask, a decoder target): each becomes an `input` layer. */
  extras: { name: string; shape: number[]; bAxis: number }[];
  /** Symbolic dimension names of the data inputs. */
  symbolic: string[];
}

export interface InputOptions {
  batch?: number;
  /** Values of symbolic dimensions (`--dim seq=128`); `batch` may be given here too. */
  dims?: Record<string, number>;
  /** The graph input that is the network's data input (`--input NAME`). */
  input?: string;
  /** Axis of the data input that holds the batch (`--batch-axis`; e.g. 1 for seq-first [T, N] token ids). */
  batchAxis?: number;
}

/** How strongly a graph input looks like data (positive) or a parameter (negative), from its uses. */
function dataScore(v: ValueInfo, use: Usage): number {
  const cons = use.consumers.get(v.name) ?? [];
  if (!cons.length) return -10; // unused
  if (use.weightOnly.get(v.name) === true) return -5;
  let score = 0;
  if (v.shape?.some((d) => typeof d !== 'number')) score += 4; // parameters always have static shapes
  const isInt = INT_TYPES.has(v.elemType);
  for (const n of cons) {
    n.inputs.forEach((t, i) => {
      if (t !== v.name) return;
      if (GATHERS.has(n.opType) && i === 1 && isInt) score += 5; // token ids
      if ((DATA_SLOTS[n.opType] ?? []).includes(i)) score += 5; // the first conv / RNN / pool
      if ((n.opType === 'MatMul' || n.opType === 'Gemm') && i === 0) score += 2; // the left operand of an MLP
    });
  }
  if (isInt && !cons.some((n) => GATHERS.has(n.opType))) score += 1; // int masks and lengths: data (a further input)
  return score;
}

/** The symbolic dimension names of the graph's inputs, in order of appearance. */
function symbolicNames(inputs: ValueInfo[]): string[] {
  const out: string[] = [];
  for (const v of inputs) for (const d of v.shape ?? []) if (typeof d === 'string' && !out.includes(d)) out.push(d);
  return out;
}

/** Fills `env` with initializers, parameter inputs and the data input; returns the batch facts. */
export function graphInputs(
  g: GraphInfo,
  opts: InputOptions,
  env: Map<string, TensorState>,
  warnings: string[],
  use: Usage,
): Inputs {
  for (const t of g.initializers) env.set(t.name, { shape: t.dims, values: t.values, konst: true });
  const free = g.inputs.filter((v) => !env.has(v.name));
  const { main, dataInputs } = chooseDataInputs(free, opts, use);
  for (const v of free) {
    if (dataInputs.includes(v)) continue;
    // A parameter given as a graph input (export_params=False): its shape must be static.
    const sh = v.shape?.map((d) => (typeof d === 'number' ? d : NaN));
    env.set(v.name, { shape: sh && sh.every((d) => Number.isFinite(d)) ? sh : undefined, konst: true });
  }
  if (!main) {
    throw new ImportError(
      `the graph has no data input: every graph input (${free.length}) is read only where weights go; ` +
        'export the model with its input as a graph input, or name it with --input NAME',
    );
  }
  if (!main.shape)
    throw new ImportError(
      `graph input '${main.name}' has no shape; re-export the model with input shapes (e.g. torch.onnx.export with an example input)`,
    );
  const shape = main.shape;
  const dims = new Map<string, number>(Object.entries(opts.dims ?? {}));
  for (const [k, v] of dims)
    if (!Number.isInteger(v) || v < 1) throw new ImportError(`--dim ${k}=${v}: a dimension must be a positive integer`);
  const inB = batchAxisOf(main as ValueInfo & { shape: (number | string)[] }, use, opts);
  const sym = symbolicNames(g.inputs.filter((v) => dataInputs.includes(v)));
  const b0 = shape[inB];
  const batchDim = typeof b0 === 'string' ? b0 : undefined;
  const batch = batchOf(main.name, b0, opts, dims, sym);
  if (batchDim) dims.set(batchDim, batch);
  const origBatch = typeof b0 === 'number' ? b0 : -1;
  const fix = (v: ValueInfo) => staticShape(v, v === main ? inB : -1, batch, batchDim, dims, sym);
  const inputShape = fix(main);
  env.set(main.name, { shape: inputShape, konst: false, layer: 'input', bAxis: inB });
  const extras: Inputs['extras'] = [];
  for (const extra of dataInputs.slice(1)) {
    const shape = extra.shape ? fix(extra) : undefined;
    // Its batch axis: the one named like the main input's, else the main input's batch axis when it has the batch.
    let bAxis = batchDim ? (extra.shape ?? []).indexOf(batchDim) : -1;
    if (bAxis < 0 && shape && (shape[inB] === batch || (origBatch > 0 && extra.shape?.[inB] === origBatch)))
      bAxis = inB;
    if (!shape || bAxis < 0) {
      warnings.push(
        `graph input '${extra.name}' is treated as a constant: it has no batch axis like '${main.name}' (choose the data input with --input)`,
      );
      env.set(extra.name, { shape, konst: true });
      continue;
    }
    if (shape[bAxis] !== batch) shape[bAxis] = batch;
    extras.push({ name: extra.name, shape, bAxis });
  }
  return { batch, origBatch, inB, inputShape, dims, batchDim, extras, symbolic: sym };
}

/**
 * The data inputs among the graph inputs without initializers, the main one first: --input's, else those whose uses
 * look like data (dataScore), best first.
 */
function chooseDataInputs(
  free: ValueInfo[],
  opts: InputOptions,
  use: Usage,
): { main: ValueInfo | undefined; dataInputs: ValueInfo[] } {
  if (opts.input !== undefined) {
    const main = free.find((v) => v.name === opts.input);
    if (!main) {
      const names = free
        .map((v) => `'${v.name}'`)
        .slice(0, 12)
        .join(', ');
      throw new ImportError(
        `--input '${opts.input}' is not a graph input of this model (its inputs without initializers: ${names || 'none'})`,
      );
    }
    return { main, dataInputs: [main, ...free.filter((v) => v !== main && dataScore(v, use) > 0)] };
  }
  const scored = free.map((v, i) => ({ v, s: dataScore(v, use), i }));
  // Exporters list the model's own inputs before its parameters (export_params=False): an input after the first
  // one read only at weight slots is a parameter or buffer (an index table, a mask) unless it has a symbolic dim.
  const firstWeight = scored.findIndex((x) => x.s <= -5 && x.s > -10);
  if (firstWeight >= 0)
    for (const x of scored.slice(firstWeight + 1)) if (!x.v.shape?.some((d) => typeof d !== 'number')) x.s -= 6;
  let dataInputs = scored
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.v);
  // Still none: the first input that is not read only at weight slots (exporters list the model's inputs first).
  if (!dataInputs.length) {
    const first = scored.find((x) => x.s > -5);
    if (first) dataInputs = [first.v];
  }
  return { main: dataInputs[0], dataInputs };
}

/**
 * The data input's batch axis: --batch-axis; else 1 for a seq-first input ([T, N, F]) feeding RNNs directly, and for
 * a [T, N] token input (seq-first, as nn.Transformer takes it) whose axis 1 has a batch-like symbolic name; else 0.
 */
function batchAxisOf(main: ValueInfo & { shape: (number | string)[] }, use: Usage, opts: InputOptions): number {
  const shape = main.shape;
  if (opts.batchAxis !== undefined) {
    if (!Number.isInteger(opts.batchAxis) || opts.batchAxis < 0 || opts.batchAxis >= shape.length) {
      throw new ImportError(
        `--batch-axis ${opts.batchAxis} is not an axis of graph input '${main.name}' (rank ${shape.length}: 0..${shape.length - 1})`,
      );
    }
    return opts.batchAxis;
  }
  const users = use.consumers.get(main.name) ?? [];
  const rnnSeqFirst =
    users.length > 0 &&
    shape.length === 3 &&
    users.every(
      (n) => ['LSTM', 'GRU', 'RNN'].includes(n.opType) && n.inputs[0] === main.name && attrI(n, 'layout', 0) === 0,
    );
  const tokensSeqFirst =
    shape.length === 2 &&
    typeof shape[1] === 'string' &&
    /batch|^n$|^b$/i.test(shape[1]) &&
    typeof shape[0] !== 'string';
  return rnnSeqFirst || tokensSeqFirst ? 1 : 0;
}

/** The batch: --batch, else --dim of its symbolic name, else the exported one; the message says what is missing. */
function batchOf(
  name: string,
  b0: number | string | undefined,
  opts: InputOptions,
  dims: Map<string, number>,
  sym: string[],
): number {
  const batchDim = typeof b0 === 'string' ? b0 : undefined;
  if (opts.batch !== undefined) return opts.batch;
  if (batchDim && dims.has(batchDim)) return dims.get(batchDim)!;
  if (typeof b0 === 'number' && b0 > 0) return b0;
  const others = sym.filter((s) => s !== batchDim && !dims.has(s));
  throw new ImportError(
    `graph input '${name}' has a dynamic batch dimension '${b0 === undefined ? '?' : b0}'; pass --batch N (the batch size to simulate)` +
      (others.length ? ` and ${others.map((s) => `--dim ${s}=N`).join(' ')} for its other symbolic dimensions` : ''),
    others.length ? others : undefined,
  );
}

/** A data input's shape with the batch and every symbolic dimension set; the message lists the --dim still needed. */
function staticShape(
  v: ValueInfo,
  batchAxis: number,
  batch: number,
  batchDim: string | undefined,
  dims: Map<string, number>,
  sym: string[],
): number[] {
  return (v.shape ?? []).map((d, i) => {
    if (i === batchAxis) return batch;
    if (batchDim !== undefined && d === batchDim) return batch;
    if (typeof d === 'number' && d > 0) return d;
    if (typeof d === 'string' && dims.has(d)) return dims.get(d)!;
    const missing = sym.filter((s) => !dims.has(s));
    throw new ImportError(
      `graph input '${v.name}' has a symbolic dimension '${d}' at axis ${i}; pass --dim ${d === '?' ? 'NAME' : d}=N ` +
        `(symbolic dimensions of this graph's inputs: ${sym.join(', ') || 'unnamed'}; still missing: ${missing.join(', ') || String(d)})` +
        (d === '?' ? ', or re-export the model with a fixed shape for it' : ''),
      d === '?' ? undefined : missing.length ? missing : [String(d)],
    );
  });
}

/** Names a node's subgraphs read from the enclosing graph. */
function outerReads(n: NodeInfo): string[] {
  const out: string[] = [];
  for (const a of n.attrs.values()) {
    if (!a.g) continue;
    const local = new Set([...a.g.initializers.map((t) => t.name), ...a.g.inputs.map((v) => v.name)]);
    for (const m of a.g.nodes) {
      for (const t of [...m.inputs, ...outerReads(m)]) if (t && !local.has(t) && !out.includes(t)) out.push(t);
      for (const t of m.outputs) local.add(t);
    }
  }
  return out;
}

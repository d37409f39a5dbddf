// Graph inputs: which are the network's data input and which are parameters (export_params=False lists weights
// as graph inputs), where its batch axis is, and the batch size (--batch or the exported one).
import type { GraphInfo, NodeInfo } from './proto';
import { attrI, type TensorState } from './shapes';
import { ImportError } from './errors';

/** ONNX input slots that hold parameters (weights, biases, statistics), by op type. */
const WEIGHT_SLOTS: Record<string, number[]> = {
  Conv: [1, 2], ConvTranspose: [1, 2], Gemm: [1, 2], BatchNormalization: [1, 2, 3, 4], LayerNormalization: [1, 2],
  InstanceNormalization: [1, 2], LSTM: [1, 2, 3, 5, 6, 7], GRU: [1, 2, 3, 5], RNN: [1, 2, 3, 5], PRelu: [1],
};
/** Names PyTorch gives parameters. */
const PARAM_NAME = /(^onnx::)|(\.(weight|bias|running_mean|running_var|num_batches_tracked|in_proj_weight|in_proj_bias)$)/;

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
  for (const o of g.outputs) uses.set(o.name, (uses.get(o.name) ?? 0) + 1);
  return { uses, consumers, weightOnly };
}

export interface Inputs { batch: number; origBatch: number; inB: number; inputShape: number[] }

/** Fills `env` with initializers, parameter inputs and the data input; returns the batch facts. */
export function graphInputs(g: GraphInfo, opts: { batch?: number }, env: Map<string, TensorState>, warnings: string[], use: Usage): Inputs {
  const { consumers, weightOnly: weightUse } = use;
  for (const t of g.initializers) env.set(t.name, { shape: t.dims, values: t.values, konst: true });
  const dataInputs = g.inputs.filter((v) => !env.has(v.name) && !(weightUse.get(v.name) === true || PARAM_NAME.test(v.name)));
  for (const v of g.inputs) {
    if (env.has(v.name) || dataInputs.includes(v)) continue;
    // A parameter given as a graph input (export_params=False): its shape must be static.
    const sh = v.shape?.map((d) => (typeof d === 'number' ? d : NaN));
    env.set(v.name, { shape: sh && sh.every((d) => Number.isFinite(d)) ? sh : undefined, konst: true });
  }
  if (!dataInputs.length) throw new ImportError('the graph has no data input (every graph input is a weight); export the model with its input as a graph input');
  const main = dataInputs[0];
  if (!main.shape) throw new ImportError(`graph input '${main.name}' has no shape; re-export the model with input shapes (e.g. torch.onnx.export with an example input)`);
  // A seq-first input ([T, N, F]) feeding RNNs directly carries the batch on axis 1.
  const inputUsers = consumers.get(main.name) ?? [];
  const inB = inputUsers.length > 0 && main.shape.length === 3 && inputUsers.every((n) => ['LSTM', 'GRU', 'RNN'].includes(n.opType) && n.inputs[0] === main.name && attrI(n, 'layout', 0) === 0) ? 1 : 0;
  const b0 = main.shape[inB];
  let batch: number;
  if (opts.batch !== undefined) batch = opts.batch;
  else if (typeof b0 === 'number' && b0 > 0) batch = b0;
  else throw new ImportError(`graph input '${main.name}' has a dynamic batch dimension '${b0 === undefined ? '?' : b0}'; pass --batch N (the batch size to simulate)`);
  const origBatch = typeof b0 === 'number' ? b0 : -1;
  const fix = (v: typeof main, treat: string): number[] => {
    const shape = (v.shape ?? []).map((d, i) => {
      if (i === inB) return batch;
      if (typeof d === 'number' && d > 0) return d;
      throw new ImportError(`${treat} '${v.name}' has a dynamic dimension '${d}' at axis ${i}; re-export the model with a fixed shape for it (only the batch, axis ${inB}, can be set with --batch)`);
    });
    return shape;
  };
  const inputShape = fix(main, 'graph input');
  env.set(main.name, { shape: inputShape, konst: false, layer: 'input', bAxis: inB });
  for (const extra of dataInputs.slice(1)) {
    warnings.push(`graph input '${extra.name}' is treated as a constant (accelmap networks have one input, '${main.name}')`);
    env.set(extra.name, { shape: extra.shape ? fix(extra, 'graph input') : undefined, konst: true });
  }
  return { batch, origBatch, inB, inputShape };
}

// The state of one ONNX import (GraphState) and of the node being mapped (NodeCtx: its inputs, its inferred outputs
// and the helpers every operator mapping uses to emit layers and follow the batch axis). The operator mappings
// themselves are in the files beside this one; map.ts drives them node by node.
import type { LayerType } from '../../spec/types';
import type { NodeInfo } from '../proto';
import { attrI, broadcast, inferNode, prod, type TensorState } from '../shapes';
import { ImportError, nodeLabel } from '../errors';
import type { Usage } from '../inputs';
import { moduleName, type NameTable } from '../names';
import type { ImportedLayer } from '../layers';

export interface GraphState {
  env: Map<string, TensorState>;
  layers: ImportedLayer[];
  byName: Map<string, ImportedLayer>;
  names: NameTable;
  containers: ReadonlySet<string>;
  /** Transposes that only swap the last two spec axes: candidates for ASM-8, with the state they read. */
  swaps: Map<string, TensorState>;
  uses: Usage['uses'];
  consumers: Usage['consumers'];
  batch: number;
  /** The batch the graph was exported with (-1 when symbolic). */
  origBatch: number;
  opset: number;
  warnings: string[];
  valueInfo: Map<string, number[]>;
  symbolic: string[];
  specOf: (st: TensorState) => number[];
  /** Reshape targets rescaled to the batch so far (warned once). */
  rebatched: number;
}

export const SAME_SHAPE: ReadonlySet<LayerType> = new Set<LayerType>([
  'relu',
  'relu6',
  'leaky_relu',
  'gelu',
  'sigmoid',
  'tanh',
  'silu',
  'hardswish',
  'batchnorm',
  'layernorm',
  'dropout',
  'softmax',
  'groupnorm',
  'input',
]);

export const same = (a: number[] | undefined, b: number[] | undefined) =>
  !!a && !!b && a.length === b.length && a.every((d, i) => d === b[i]);
const shapeStr = (s: TensorState | undefined) => (s?.shape ? `[${s.shape.join(', ')}]` : 'unknown');
export const round = (v: number): number => Number(v.toPrecision(6));

/** Where the batch lands in `out`, a reshape of `st`: its own axis, merged into an axis, or nowhere (undefined). */
export function locateBatch(
  batch: number,
  st: TensorState,
  out: number[],
): { bAxis: number; merged?: number } | undefined {
  const xs = st.shape ?? [];
  const xb = st.bAxis ?? 0;
  const before = prod(xs.slice(0, xb)) * (st.merged ?? 1);
  let P = 1;
  for (let j = 0; j < out.length && P <= before; P *= out[j], j++) {
    if (before % P !== 0) continue;
    const o = before / P;
    if (o === 1 && out[j] === batch) return { bAxis: j };
    if (out[j] % (o * batch) === 0 && o < out[j]) return { bAxis: j, merged: o };
  }
  return undefined;
}

export interface NodeInputs {
  ins: TensorState[];
  outs: { shape?: number[]; values?: number[] }[];
  /** The inputs that are activations (not weights or constants), with their slot. */
  acts: { t: string; i: number; s: TensorState }[];
  /** An operator of a domain the importer does not know. */
  foreign: boolean;
}

/**
 * A node's inputs (with the trace's batch replaced where a fixed-batch export baked it in) and its inferred output
 * shapes (the graph's value_info where inference has none).
 */
export function readNode(gs: GraphState, n: NodeInfo): NodeInputs {
  const { env, batch, origBatch, warnings, opset, valueInfo } = gs;
  const ins: TensorState[] = n.inputs.map((t) => (t ? (env.get(t) ?? { konst: true }) : { konst: true }));
  for (let i = 0; i < n.inputs.length; i++) {
    if (n.inputs[i] && !env.has(n.inputs[i]))
      throw new ImportError(
        `${nodeLabel(n)} reads '${n.inputs[i]}', which no earlier node produces (the graph is not topologically sorted or is incomplete); re-export the model`,
      );
  }
  // A fixed-batch export bakes its batch into Reshape targets (`x.view(1, -1)`); --batch replaces it there too.
  const target = ins[1]?.values;
  if (
    n.opType === 'Reshape' &&
    batch !== origBatch &&
    origBatch > 0 &&
    !ins[0].konst &&
    (ins[0].bAxis ?? 0) === 0 &&
    ins[0].merged === undefined &&
    target?.[0] === origBatch
  ) {
    ins[1] = { ...ins[1], values: [batch, ...target.slice(1)] };
  }
  // Constants a fixed-batch trace folded (zeros_like(ids), a mask of the example batch) carry the exported batch
  // where an activation they meet has --batch: they take the activation's batch.
  if (origBatch > 0 && origBatch !== batch) {
    const a = ins.find((t) => !t.konst && t.shape && t.merged === undefined && !t.spec);
    const b = a?.bAxis ?? 0;
    if (a && a.shape![b] === batch) {
      for (let i = 0; i < ins.length; i++) {
        const c = ins[i];
        if (c.konst && c.shape && c.shape.length === a.shape!.length && c.shape[b] === origBatch)
          ins[i] = { ...c, shape: c.shape.map((d, j) => (j === b ? batch : d)), values: undefined };
      }
    }
  }
  // A trace bakes the batch it ran with into shape arithmetic that Python did on ints (Swin's B * windows): a
  // Reshape whose target holds a whole fraction of its input's elements is scaled back on its first axis.
  if (n.opType === 'Reshape' && !ins[0].konst && ins[0].shape && ins[1]?.values && !ins[1].values.includes(-1)) {
    const t = ins[1].values.map((v, i) => (v === 0 && attrI(n, 'allowzero', 0) === 0 ? ins[0].shape![i] : v));
    const r = prod(ins[0].shape) / prod(t);
    if (Number.isInteger(r) && r > 1 && batch % r === 0) {
      // The axis that holds the batch: the one after as many elements as precede the batch in the input.
      const before = prod(ins[0].shape.slice(0, ins[0].bAxis ?? 0)) * (ins[0].merged ?? 1);
      // An axis of exactly the exported batch there is the batch axis; else the axis the batch falls in, taking
      // it as the inner factor of the axis before when it starts exactly at a boundary ([T, N, D] -> [T*N, D]).
      const pre = (k: number) => prod(t.slice(0, k));
      let j = t.findIndex((v, k) => pre(k) === before && v === origBatch);
      if (j < 0) {
        j = 0;
        for (let k = 0; k < t.length; k++) {
          if (pre(k) <= before && before < pre(k + 1)) {
            j = k;
            break;
          }
          if (pre(k + 1) === before && k + 1 < t.length) {
            j = k;
            break;
          }
        }
      }
      ins[1] = { ...ins[1], values: t.map((v, k) => (k === j ? v * r : v)) };
      if (!gs.rebatched++)
        warnings.push(
          `${nodeLabel(n)} and others: reshape targets the trace computed for another batch size were scaled to batch ${batch}`,
        );
    }
  }
  const contrib = n.domain === 'com.microsoft' || n.domain === 'ai.onnx.contrib' || n.domain === 'org.pytorch.aten';
  const foreign = n.domain !== '' && n.domain !== 'ai.onnx' && !contrib;
  let outs = foreign ? n.outputs.map(() => ({}) as { shape?: number[]; values?: number[] }) : inferNode(n, ins, opset);
  outs = n.outputs.map((o, i) => {
    const r = outs[i] ?? {};
    if (!r.shape && valueInfo.has(o)) return { ...r, shape: valueInfo.get(o) };
    return r;
  });
  const acts = n.inputs.map((t, i) => ({ t, i, s: ins[i] })).filter((a) => a.t && !a.s.konst);

  return { ins, outs, acts, foreign };
}

/**
 * The helpers of one node that has an activation input: emit layers, alias outputs, follow the batch axis. The helpers
 * are arrow properties, so an operator mapping may destructure the ones it uses (`const { x, emit } = c`).
 */
export class NodeCtx {
  readonly ins: TensorState[];
  readonly outs: NodeInputs['outs'];
  readonly acts: NodeInputs['acts'];
  readonly foreign: boolean;
  /** The first activation input, its batch axis and the first output's inferred shape. */
  readonly x: TensorState;
  readonly xb: number;
  readonly out0: number[] | undefined;
  readonly env: GraphState['env'];
  readonly layers: ImportedLayer[];
  readonly byName: GraphState['byName'];
  readonly swaps: GraphState['swaps'];
  readonly uses: GraphState['uses'];
  readonly consumers: GraphState['consumers'];
  readonly batch: number;
  readonly origBatch: number;
  readonly opset: number;
  readonly warnings: string[];
  readonly specOf: GraphState['specOf'];

  constructor(
    readonly gs: GraphState,
    readonly n: NodeInfo,
    r: NodeInputs,
  ) {
    ({ ins: this.ins, outs: this.outs, acts: this.acts, foreign: this.foreign } = r);
    ({
      env: this.env,
      layers: this.layers,
      byName: this.byName,
      swaps: this.swaps,
      uses: this.uses,
      consumers: this.consumers,
      batch: this.batch,
      origBatch: this.origBatch,
      opset: this.opset,
      warnings: this.warnings,
      specOf: this.specOf,
    } = gs);
    this.x = r.acts[0].s;
    this.xb = this.x.bAxis ?? 0;
    this.out0 = r.outs[0]?.shape;
  }

  readonly alias = (st: TensorState) => this.n.outputs.forEach((o) => this.env.set(o, { ...st, values: undefined }));
  readonly layerOf = (s: TensorState) => (s.layer ? this.byName.get(s.layer) : undefined);

  /** The message when an output shape is unknown: the node, its operator, its input shapes and what fixes it. */
  readonly unknownShape = (): ImportError => {
    const inShapes = this.n.inputs.map((t, i) => `${t || '(none)'} ${shapeStr(this.ins[i])}`).join(', ');
    const sym = this.gs.symbolic.length
      ? ` (its symbolic dimensions ${this.gs.symbolic.join(', ')} are set with --batch and --dim NAME=N)`
      : '';
    return new ImportError(
      `cannot infer the output shape of ${nodeLabel(this.n)} from its inputs ${inShapes}; ` +
        `add the shapes to the model (onnx.shape_inference.infer_shapes(model) writes value_info) or re-export it with static shapes${sym}`,
    );
  };
  readonly emit = (
    type: LayerType,
    keys: ImportedLayer['keys'],
    from: TensorState[],
    shape: number[] | undefined,
    extra?: Partial<ImportedLayer>,
    out?: { bAxis?: number; merged?: number | null; spec?: number[]; index?: number; tensor?: string; suffix?: string },
  ): ImportedLayer => {
    if (!shape || shape.some((d) => !Number.isFinite(d))) throw this.unknownShape();
    const base = moduleName(this.n.name, this.n.opType, this.gs.containers);
    const name = this.gs.names.take(out?.suffix ? (base ? `${base}.${out.suffix}` : out.suffix) : base, type);
    const bAxis = out?.bAxis ?? this.xb;
    const merged =
      out?.merged === null ? undefined : (out?.merged ?? (out?.bAxis === undefined ? this.x.merged : undefined));
    const st: TensorState = { shape, konst: false, layer: name, bAxis, merged, spec: out?.spec };
    const L: ImportedLayer = {
      name,
      type,
      keys,
      inputs: from.map((s) => s.layer ?? 'input'),
      outShape: shape,
      specShape: this.specOf(st),
      inShapes: from.map((s) => s.shape ?? []),
      writeShape: !SAME_SHAPE.has(type) && type !== 'lstm' && type !== 'gru' && type !== 'rnn',
      origin: this.n.name || this.n.outputs[0],
      opType: this.n.opType,
      ...extra,
    };
    this.layers.push(L);
    this.byName.set(name, L);
    this.env.set(out?.tensor ?? this.n.outputs[out?.index ?? 0], st);
    return L;
  };
  /** Where the batch axis lands in an output of a different shape: kept when the rank is kept, else found by size. */
  readonly guessB = (sh: number[]) =>
    sh.length === (this.x.shape?.length ?? -1) ? this.xb : Math.max(0, sh.indexOf(this.batch));
  readonly unsupported = (why?: string) => {
    let shape = this.out0;
    if (!shape) {
      shape = this.x.shape;
      this.warnings.push(
        `${nodeLabel(this.n)}: output shape unknown; assumed equal to its input's ${JSON.stringify(shape)}`,
      );
    }
    this.warnings.push(
      `${nodeLabel(this.n)}: ${why ?? 'operator not modelled'}; imported as \`type: unsupported\` (zero cost)`,
    );
    const from = this.acts.map((a) => a.s);
    const keepMerge = shape && same(shape, this.x.shape) ? this.x.merged : undefined;
    const L = this.emit(
      'unsupported',
      [['op_type', this.n.opType]],
      from,
      shape,
      { writeShape: true },
      { bAxis: shape ? this.guessB(shape) : 0, merged: keepMerge ?? null },
    );
    // Further outputs (Split, TopK ...) that are used get a layer each, so every consumer sees its own shape.
    this.n.outputs.forEach((o, i) => {
      if (i === 0 || !o) return;
      const sh = this.outs[i]?.shape;
      if ((this.uses.get(o) ?? 0) > 0 && sh)
        this.emit(
          'unsupported',
          [['op_type', this.n.opType]],
          from,
          sh,
          { writeShape: true },
          { bAxis: this.guessB(sh), index: i, merged: null },
        );
      else this.env.set(o, { shape: sh, konst: false, layer: L.name, bAxis: sh ? this.guessB(sh) : 0 });
    });
  };
  /**
   * A reshape-like op (Reshape, Flatten, Squeeze, Unsqueeze): the batch stays an axis of its own, or merges into
   * one (locateBatch). Folded when the spec-level shape does not change.
   */
  readonly reshapeTo = (why: string, type: 'reshape' | 'flatten' = 'reshape') => {
    if (!this.out0 || !this.x.shape) {
      this.unsupported(why);
      return;
    }
    if (same(this.out0, this.x.shape)) {
      this.alias(this.x);
      return;
    }
    const loc = locateBatch(this.batch, this.x, this.out0);
    if (!loc) {
      this.unsupported(why);
      return;
    }
    const st: TensorState = { ...this.x, shape: this.out0, bAxis: loc.bAxis, merged: loc.merged, spec: undefined };
    const view = this.specOf(st);
    if (same(view, this.specOf(this.x))) {
      this.alias({ ...st, spec: this.x.spec && !same(this.x.spec, view) ? this.x.spec : undefined });
      return;
    }
    if (this.x.spec) {
      this.unsupported(`${why} (the input is a recurrent layer's output)`);
      return;
    }
    if (type === 'flatten' && view.length === 1)
      this.emit('flatten', [], [this.x], this.out0, undefined, { bAxis: loc.bAxis, merged: loc.merged ?? null });
    else
      this.emit('reshape', [['shape', view]], [this.x], this.out0, undefined, {
        bAxis: loc.bAxis,
        merged: loc.merged ?? null,
      });
  };
  /** Spec axis (batch excluded) of an ONNX axis of `st`; undefined when it is the batch axis. */
  readonly specAxisOf = (st: TensorState, axis: number) => {
    const rank = st.shape?.length ?? 0;
    const a = axis < 0 ? axis + rank : axis;
    const b = st.bAxis ?? 0;
    if (st.merged !== undefined) return a;
    return a === b ? undefined : a > b ? a - 1 : a;
  };
  readonly specAxis = (axis: number) => this.specAxisOf(this.x, axis);
  readonly nchw = () => this.xb === 0 && !this.x.spec && this.x.merged === undefined;
  /** An element-wise layer over the activations; an `expand` after it when a constant operand widens the shape. */
  readonly ewise = (op: string, flops: number) => {
    const from = this.acts.map((a) => a.s);
    const big = from.reduce((acc, s) => (s.shape && s.shape.length > (acc.shape?.length ?? 0) ? s : acc), from[0]);
    let bshape: number[] | undefined = big.shape;
    for (const s of from) bshape = bshape && s.shape ? broadcast(bshape, s.shape) : undefined;
    if (!this.out0 || !bshape) throw this.unknownShape();
    const bAxis = big.bAxis ?? 0;
    if (same(bshape, this.out0)) {
      this.emit(
        'elementwise',
        [
          ['op', op],
          ['flops', flops],
        ],
        from,
        this.out0,
        { writeShape: true },
        { bAxis, merged: big.merged ?? null },
      );
      return;
    }
    const mid = this.emit(
      'elementwise',
      [
        ['op', op],
        ['flops', flops],
      ],
      from,
      bshape,
      { writeShape: true },
      { bAxis, merged: big.merged ?? null, tensor: `${this.n.outputs[0]}::pre`, suffix: 'pre' },
    );
    const midSt = this.env.get(`${this.n.outputs[0]}::pre`)!;
    const ob = bAxis + (this.out0.length - bshape.length);
    const outSt: TensorState = { shape: this.out0, konst: false, bAxis: ob, merged: big.merged };
    this.emit('expand', [['shape', this.specOf(outSt)]], [{ ...midSt, layer: mid.name }], this.out0, undefined, {
      bAxis: ob,
      merged: big.merged ?? null,
    });
  };
  /**
   * A transpose layer (or nothing, for the identity) from `st` to the ONNX permutation `perm`; returns the new state.
   */
  readonly permute = (st: TensorState, perm: number[], suffix?: string): TensorState => {
    const sh = st.shape ?? [];
    if (perm.every((p, i) => p === i)) return st;
    const b = st.bAxis ?? 0;
    const outShape = perm.map((p) => sh[p]);
    const nb = perm.indexOf(b);
    const tensor = suffix ? `${this.n.outputs[0]}::${suffix}` : this.n.outputs[0];
    if (st.merged === undefined) {
      const sp = perm.filter((p) => p !== b).map((p) => (p > b ? p - 1 : p));
      if (sp.every((p, i) => p === i)) return { ...st, shape: outShape, bAxis: nb };
      this.emit('transpose', [['perm', sp]], [st], outShape, undefined, { bAxis: nb, merged: null, tensor, suffix });
    } else
      this.emit('transpose', [['perm', perm]], [st], outShape, undefined, {
        bAxis: nb,
        merged: st.merged,
        tensor,
        suffix,
      });
    return this.env.get(tensor)!;
  };
  /** Folds a transpose of the last two axes into the matmul (ASM-8): the state it read, or undefined. */
  readonly unswap = (st: TensorState, tensor: string): TensorState | undefined => {
    const src = st.layer ? this.swaps.get(st.layer) : undefined;
    if (!src || (this.uses.get(tensor) ?? 0) !== 1) return undefined;
    const i = this.layers.findIndex((l) => l.name === st.layer);
    if (i < 0 || this.layers.some((l) => l.inputs.includes(st.layer!))) return undefined;
    this.layers.splice(i, 1);
    this.byName.delete(st.layer!);
    this.swaps.delete(st.layer!);
    return src;
  };
}

/** The context of a node that has an activation input. */
export const nodeContext = (gs: GraphState, n: NodeInfo, r: NodeInputs): NodeCtx => new NodeCtx(gs, n, r);

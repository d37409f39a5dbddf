// Operators that move data: reshapes, transposes, concatenation, slicing, gathering and broadcasting.
import { nodeLabel } from '../errors';
import type { ImportedLayer } from '../layers';
import { attrI, attrInts, sliceBounds, type TensorState } from '../shapes';
import { same, type NodeCtx } from './context';

/** Flatten */
export function onFlatten(c: NodeCtx): void {
  const { reshapeTo } = c;
  reshapeTo('a Flatten that splits the batch dimension is not modelled', 'flatten');
}

/** Reshape, Squeeze, Unsqueeze */
export function onReshape(c: NodeCtx): void {
  const { n, reshapeTo } = c;
  reshapeTo(`a ${n.opType} that splits the batch dimension across axes is not modelled`);
}

/** Transpose */
export function onTranspose(c: NodeCtx): void {
  const { n, x, xb, out0, alias, unsupported, permute, layers, swaps, consumers } = c;
  const perm = attrInts(n, 'perm') ?? (x.shape ?? []).map((_, i, a) => a.length - 1 - i);
  if (x.merged === undefined) {
    const sp = perm.filter((p) => p !== xb).map((p) => (p > xb ? p - 1 : p));
    if (sp.every((p, i) => p === i)) {
      alias({ ...x, shape: out0, bAxis: perm.indexOf(xb) });
      return;
    } // only the batch moved
  }
  if (x.spec) {
    unsupported("a Transpose of a recurrent layer's output is not modelled");
    return;
  }
  const before = layers.length;
  const st = permute(x, perm);
  if (layers.length === before) {
    alias(st);
    return;
  }
  const L = layers[layers.length - 1];
  // A swap of the last two axes may fold into a matmul that reads it (ASM-8).
  const sp = L.keys[0][1] as number[];
  if (
    sp.length >= 2 &&
    sp.every((p, i) => (i < sp.length - 2 ? p === i : p === (i === sp.length - 1 ? sp.length - 2 : sp.length - 1))) &&
    (consumers.get(n.outputs[0]) ?? []).every((c) => c.opType === 'MatMul')
  )
    swaps.set(L.name, x);
}

/** Concat */
export function onConcat(c: NodeCtx): void {
  const { n, acts, x, xb, out0, emit, unsupported, specAxis, env, warnings, specOf } = c;
  const ax = specAxis(attrI(n, 'axis', 0));
  const batchAxisCat =
    ax === undefined ||
    (x.merged !== undefined && (attrI(n, 'axis', 0) + (x.shape?.length ?? 0)) % (x.shape?.length ?? 1) === xb);
  if (batchAxisCat) {
    unsupported('concatenation along the batch dimension is not modelled');
    return;
  }
  if (acts.length > 1 && acts.length !== n.inputs.filter((t) => t).length)
    warnings.push(`${nodeLabel(n)}: constant inputs of the concatenation are ignored`);
  if (acts.length === 1) {
    // One activation and constants (a class token prepended to the patches): the copy costs as a pad.
    const sp = specOf(x);
    const outSp = specOf({ ...x, shape: out0 });
    const pads = new Array(2 * sp.length).fill(0);
    const before = n.inputs
      .slice(0, acts[0].i)
      .reduce(
        (acc, t) =>
          acc +
          ((env.get(t)?.shape ?? [])[
            attrI(n, 'axis', 0) < 0 ? attrI(n, 'axis', 0) + (x.shape?.length ?? 0) : attrI(n, 'axis', 0)
          ] ?? 0),
        0,
      );
    pads[ax!] = before;
    pads[ax! + sp.length] = outSp[ax!] - sp[ax!] - before;
    emit('pad', [['pads', pads]], [x], out0);
    return;
  }
  emit(
    'concat',
    [['axis', ax!]],
    acts.map((a) => a.s),
    out0,
  );
}

/** Gather */
export function onGather(c: NodeCtx): void {
  const { n, ins, acts, x, xb, out0, emit, unsupported, specAxis } = c;
  const table = ins[0];
  if (table.konst && acts[0].i === 1 && table.shape?.length === 2) {
    emit(
      'embedding',
      [
        ['num_embeddings', table.shape[0]],
        ['embedding_dim', table.shape[1]],
      ],
      [x],
      out0,
      { weightShape: table.shape },
      { bAxis: xb, merged: x.merged ?? null },
    );
    return;
  }
  if (acts[0].i !== 0) {
    unsupported('a Gather whose indices are activations into a table that is not a 2-D weight is not modelled');
    return;
  }
  // Indexing an activation (a class token, the last time step, q/k/v out of a stacked tensor): a slice.
  const r = x.shape?.length ?? 0;
  const axis = attrI(n, 'axis', 0);
  const a = axis < 0 ? axis + r : axis;
  const idx = ins[1]?.shape ?? [];
  const iv = ins[1]?.values;
  if (a === xb || !out0 || x.spec) {
    unsupported('a Gather along the batch dimension is not modelled');
    return;
  }
  const sa = specAxis(a)!;
  const dim = x.shape![a];
  const first = iv ? (iv[0] < 0 ? iv[0] + dim : iv[0]) : 0;
  const run = !iv || iv.every((v, i) => (v < 0 ? v + dim : v) === first + i);
  if (idx.length > 1 || !run) {
    unsupported('a Gather of non-contiguous or multi-dimensional indices of an activation is not modelled');
    return;
  }
  const keys: ImportedLayer['keys'] = [
    ['axis', sa],
    ['start', first],
    ['end', first + (idx.length ? idx[0] : 1)],
  ];
  if (!idx.length) keys.push(['keep_dim', false]);
  emit('slice', keys, [x], out0, undefined, { bAxis: idx.length || a > xb ? xb : xb - 1, merged: x.merged ?? null });
}

/** Slice */
export function onSlice(c: NodeCtx): void {
  const { n, ins, x, xb, out0, alias, emit, unsupported, specAxis, env, batch, opset, specOf } = c;
  const r = x.shape?.length ?? 0;
  const starts = opset >= 10 ? ins[1]?.values : attrInts(n, 'starts');
  const ends = opset >= 10 ? ins[2]?.values : attrInts(n, 'ends');
  if (!starts || !ends || !x.shape || x.spec) {
    unsupported('a Slice with bounds computed at run time is not modelled');
    return;
  }
  const axes = ((opset >= 10 ? ins[3]?.values : attrInts(n, 'axes')) ?? starts.map((_, i) => i)).map((a) =>
    a < 0 ? a + r : a,
  );
  const steps = (opset >= 10 ? ins[4]?.values : undefined) ?? starts.map(() => 1);
  let st = x;
  let ok = true;
  const todo: { sa: number; b: number; e: number | undefined; step: number }[] = [];
  axes.forEach((a, i) => {
    const d = x.shape![a];
    const stp = steps[i];
    const [b, e] = sliceBounds(d, starts[i], ends[i], stp);
    if (stp === 1 && b === 0 && e === d) return; // the whole axis
    const sa = specAxis(a);
    if (sa === undefined || (x.merged !== undefined && a === xb)) {
      ok = false;
      return;
    }
    todo.push({ sa, b, e: stp < 0 && e === -1 ? undefined : e, step: stp });
  });
  if (!ok) {
    unsupported('a Slice of the batch dimension is not modelled');
    return;
  }
  if (!todo.length) {
    alias({ ...x, shape: out0 });
    return;
  }
  todo.forEach((t, k) => {
    const last = k === todo.length - 1;
    const sp = specOf(st);
    const len = Math.max(0, Math.ceil(((t.e ?? -1) - t.b) / t.step));
    const shapeSp = sp.map((v, i) => (i === t.sa ? len : v));
    const full =
      st.merged !== undefined
        ? shapeSp.map((v, i) => (i === xb ? v * batch : v))
        : [...shapeSp.slice(0, xb), batch, ...shapeSp.slice(xb)];
    const keys: ImportedLayer['keys'] = [
      ['axis', t.sa],
      ['start', t.b],
    ];
    if (t.e !== undefined) keys.push(['end', t.e]);
    if (t.step !== 1) keys.push(['step', t.step]);
    emit(
      'slice',
      keys,
      [st],
      last ? out0 : full,
      undefined,
      last ? undefined : { tensor: `${n.outputs[0]}::s${k}`, suffix: `s${k}` },
    );
    if (!last) st = env.get(`${n.outputs[0]}::s${k}`)!;
  });
}

/** Split */
export function onSplit(c: NodeCtx): void {
  const { n, outs, x, xb, unknownShape, emit, unsupported, specAxis, uses } = c;
  const r = x.shape?.length ?? 0;
  const axis = attrI(n, 'axis', 0);
  const a = axis < 0 ? axis + r : axis;
  const sa = specAxis(a);
  if (sa === undefined || x.spec || (x.merged !== undefined && a === xb)) {
    unsupported('a Split along the batch dimension is not modelled');
    return;
  }
  let off = 0;
  n.outputs.forEach((o, i) => {
    const sh = outs[i]?.shape;
    if (!sh) throw unknownShape();
    const len = sh[a];
    if (o && (uses.get(o) ?? 0) > 0) {
      emit(
        'slice',
        [
          ['axis', sa],
          ['start', off],
          ['end', off + len],
        ],
        [x],
        sh,
        undefined,
        { index: i, suffix: n.outputs.length > 1 ? `${i}` : undefined },
      );
    }
    off += len;
  });
}

/** Expand */
export function onExpand(c: NodeCtx): void {
  const { x, xb, out0, alias, unknownShape, emit, unsupported, batch, specOf } = c;
  if (!out0 || !x.shape) throw unknownShape();
  if (same(out0, x.shape)) {
    alias(x);
    return;
  }
  const ob = xb + (out0.length - x.shape.length);
  const outSt: TensorState = { ...x, shape: out0, bAxis: ob };
  if (x.spec || (x.merged === undefined && out0[ob] !== batch)) {
    unsupported('an Expand of the batch dimension is not modelled');
    return;
  }
  if (same(specOf(outSt), specOf(x))) {
    alias(outSt);
    return;
  }
  emit('expand', [['shape', specOf(outSt)]], [x], out0, undefined, { bAxis: ob, merged: x.merged ?? null });
}

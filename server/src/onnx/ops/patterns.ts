// Patterns that span several nodes and fold into one layer: the decomposed LayerNorm of exports below opset 17
// (ASM-6) and the decomposed tanh-GELU (ASM-9). Each node of such a pattern either starts, continues or ends it.
import { same, type NodeCtx } from './context';

const LN_STEPS = new Set(['Pow', 'ReduceMean', 'Add', 'Sqrt', 'Div', 'Cast', 'Mul']);

/** Whether the node belongs to a multi-node pattern (and was mapped as part of it). */
export function foldPattern(c: NodeCtx): boolean {
  const { n, ins, acts, x, out0, alias, emit, env, consumers } = c;

  // ASM-6: the steps of a decomposed LayerNorm after its Sub fold into the layernorm layer.
  const lnOwner = acts[0].s.lnPart ? acts[0].s.layer : undefined;
  if (lnOwner && LN_STEPS.has(n.opType) && acts.every((a) => a.s.lnPart && a.s.layer === lnOwner)) {
    alias({ ...x, shape: out0, lnPart: n.opType !== 'Div' });
    return true;
  }
  if (
    n.opType === 'ReduceMean' &&
    acts.length === 1 &&
    x.shape &&
    out0 &&
    out0.length === x.shape.length &&
    out0[out0.length - 1] === 1 &&
    out0.slice(0, -1).every((d, i) => d === x.shape![i]) &&
    (consumers.get(n.outputs[0]) ?? []).every(
      (c) => c.opType === 'Sub' && c.inputs[0] === n.inputs[0] && c.inputs[1] === n.outputs[0],
    )
  ) {
    alias({ ...x, shape: out0, meanOf: x.layer ?? 'input' });
    return true;
  }
  if (
    n.opType === 'Sub' &&
    acts.length === 2 &&
    acts[1].s.meanOf !== undefined &&
    acts[1].s.meanOf === (x.layer ?? 'input')
  ) {
    emit('layernorm', [], [x], out0);
    env.set(n.outputs[0], { ...env.get(n.outputs[0])!, lnPart: true });
    return true;
  }
  // ASM-9: the decomposed tanh-GELU. Pow(x, 3) starts it; constants scale it; x + (...) and tanh continue it.
  if (n.opType === 'Pow' && acts.length === 1 && acts[0].i === 0 && ins[1]?.values?.[0] === 3 && same(out0, x.shape)) {
    alias({ ...x, geluX: x });
    return true;
  }
  // x * x and x * (x * x) are the cube written with Mul (PyTorch's tanh-GELU export).
  if (n.opType === 'Mul' && acts.length === 2 && n.inputs[0] === n.inputs[1] && !x.geluX) {
    alias({ ...x, geluX: x });
    return true;
  }
  if (n.opType === 'Mul' && acts.length === 2) {
    const [a, b] = [acts[0].s, acts[1].s];
    const cube =
      a.geluX && !b.geluX && b.layer === a.geluX.layer
        ? a
        : b.geluX && !a.geluX && a.layer === b.geluX.layer
          ? b
          : undefined;
    if (cube) {
      alias({ ...cube, shape: out0 });
      return true;
    }
  }
  if (
    acts.every((a) => a.s.geluX) &&
    acts.length === 1 &&
    ['Mul', 'Add', 'Div'].includes(n.opType) &&
    same(out0, x.shape)
  ) {
    alias(x);
    return true;
  }
  if (n.opType === 'Add' && acts.length === 2) {
    const [a, b] = [acts[0].s, acts[1].s];
    const gx =
      a.geluX && !b.geluX && b.layer === a.geluX.layer
        ? a
        : b.geluX && !a.geluX && a.layer === b.geluX.layer
          ? b
          : undefined;
    if (gx) {
      alias({ ...gx, shape: out0 });
      return true;
    }
  }
  if (n.opType === 'Tanh' && x.geluX) {
    emit('gelu', [], [x.geluX], out0);
    return true;
  }

  return false;
}

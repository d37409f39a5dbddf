// Recurrent layers (LSTM, GRU, RNN nodes).
import { nodeLabel } from '../errors';
import type { ImportedLayer } from '../layers';
import { attrI, attrS } from '../shapes';
import type { NodeCtx } from './context';

/** LSTM, GRU, RNN */
export function onLSTM(c: NodeCtx): void {
  const { n, ins, outs, x, xb, emit, unsupported, env, uses, warnings } = c;
  const w = ins[1]?.shape;
  const layout = attrI(n, 'layout', 0);
  if (!x.shape || x.shape.length !== 3 || xb !== (layout === 0 ? 1 : 0) || x.spec || x.merged !== undefined) {
    unsupported(`the input of a recurrent layer must be [T, N, F] (layout 0) or [N, T, F] (layout 1)`);
    return;
  }
  const gates = n.opType === 'LSTM' ? 4 : n.opType === 'GRU' ? 3 : 1;
  const h = attrI(n, 'hidden_size', w ? w[1] / gates : 0);
  const dirs = attrS(n, 'direction', 'forward') === 'bidirectional' ? 2 : 1;
  const T = x.shape[layout === 0 ? 0 : 1];
  // Y [T, dirs, N, H] (layout 0) is the spec's [T, H*dirs]; Y_h/Y_c [dirs, N, H] its [H*dirs] (return_sequences:
  // false).
  const seq = (uses.get(n.outputs[0]) ?? 0) > 0 || !n.outputs.slice(1).some((o) => o && (uses.get(o) ?? 0) > 0);
  const keys: ImportedLayer['keys'] = [['hidden_size', h]];
  if (dirs === 2) keys.push(['bidirectional', true]);
  if (!n.inputs[3]) keys.push(['bias', false]);
  if (!seq) keys.push(['return_sequences', false]);
  const spec = seq ? [T, h * dirs] : [h * dirs];
  const yShape = outs[0]?.shape;
  const hShape = outs[1]?.shape;
  const type = n.opType === 'LSTM' ? 'lstm' : n.opType === 'GRU' ? 'gru' : 'rnn';
  const L = emit(
    type,
    keys,
    [x],
    seq ? yShape : hShape,
    { weightShape: w },
    { bAxis: seq ? (layout === 0 ? 2 : 0) : layout === 0 ? 1 : 0, spec, merged: null },
  );
  if (seq) env.set(n.outputs[0], { shape: yShape, konst: false, layer: L.name, bAxis: layout === 0 ? 2 : 0, spec });
  n.outputs.slice(1).forEach((o, i) => {
    if (!o) return;
    if (seq && (uses.get(o) ?? 0) > 0)
      warnings.push(
        `${nodeLabel(n)}: both the sequence and the final state are used; the final state is modelled as the sequence output`,
      );
    env.set(o, { shape: outs[i + 1]?.shape, konst: false, layer: L.name, bAxis: layout === 0 ? 1 : 0, spec });
  });
}

// The recurrent family (lstm, gru, rnn), batch_first, [T, F] -> [T, H dirs] (or [H dirs] for the last step only).
// Per layer l and direction: params gates H (X_l + H) + 2 gates H (b_ih and b_hh); MACs T N gates H (X_l + H);
// X_0 = F, X_l = H dirs above. Lowered with the gates kept for backpropagation through time (gates H per step,
// direction and layer) and ~10 flops per hidden unit per step for the cell's element-wise work (ASM).
import type { LayerDef } from './def';
import { rnnKeys } from './common';

export function recurrent(type: 'lstm' | 'gru' | 'rnn', gates: number, doc: string, onnx: readonly string[]): LayerDef {
  return {
    type,
    doc,
    shapes: '[T, F] -> [T, H·dirs] (or [H·dirs])',
    inputs: 'one',
    keys: rnnKeys,
    infer(c) {
      const a = c.attrs;
      if (!c.rank('a [T, F] sequence', c.x.length === 2)) return null;
      const [T, F] = c.x;
      const H = a.hiddenSize!;
      const L = a.numLayers ?? 1;
      const dirs = a.bidirectional ? 2 : 1;
      let params = 0;
      let macs = 0;
      for (let l = 0; l < L; l++) {
        const X = l === 0 ? F : H * dirs;
        params += dirs * (gates * H * (X + H) + (a.bias ? 2 * gates * H : 0));
        macs += dirs * T * c.N * gates * H * (X + H);
      }
      return { shape: a.returnSequences === false ? [H * dirs] : [T, H * dirs], params, macs };
    },
    cls: 'rnn',
    lower(c) {
      const { L, N, E, Ein, W, a, g, b } = c;
      const inS = L.inShapes[0] ?? [1, 1];
      const T = inS.length >= 2 ? inS[0] : 1;
      const X = inS[inS.length - 1] ?? 1;
      const H = L.attrs.hiddenSize ?? 1;
      const layersN = L.attrs.numLayers ?? 1;
      const dirs = L.attrs.bidirectional ? 2 : 1;
      let macs = 0;
      for (let l = 0; l < layersN; l++) macs += N * T * dirs * gates * H * ((l === 0 ? X : H * dirs) + H);
      const cell = 10 * N * T * H * dirs * layersN;
      c.dims = { N, T, X, H, G: gates, L: layersN, D: dirs };
      c.fM = macs;
      c.fF = 2 * macs + cell;
      c.fKind = 'mvm';
      c.dM = macs;
      c.dF = 2 * macs + cell;
      c.wM = macs;
      c.wF = 2 * macs;
      // Gates are kept for BPTT: gates*H per step per direction per layer (seed-systems.md §0).
      const gatesB = N * T * dirs * layersN * gates * H * a;
      c.fwd
        .add('input', Ein * a, 'r')
        .add('weight', W * b.weight, 'r')
        .add('output', E * a, 'w')
        .add('saved_activation', gatesB, 'w');
      c.bd
        .add('output_grad', E * g, 'r')
        .add('weight', W * b.weight, 'r')
        .add('saved_activation', gatesB, 'r')
        .add('input_grad', Ein * g, 'w');
      c.bw
        .add('output_grad', E * g, 'r')
        .add('saved_activation', Ein * a + gatesB, 'r')
        .add('weight_grad', W * g, 'w');
      c.saved = Ein * a + gatesB;
    },
    onnx,
  };
}

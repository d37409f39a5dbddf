// Training phases as loop nests. A convolution (N, K, C, P, Q, R, S, and G for grouped convolutions; C and K per
// group) or a matrix product (M, N, K, and B for batched ones) is one iteration space; its three training phases are
// the same space with the roles of the tensors permuted:
//   fwd        Outputs[n,k,p,q]  += Weights[k,c,r,s] x Inputs[n,c,p*Hstride+r, q*Wstride+s]   (Outputs read-write)
//   bwd_data   dInputs[n,c,h,w]  += Weights[k,c,r,s] x dOutputs[n,k,p,q], h = p*Hstride + r     (Inputs read-write)
//   bwd_weight dWeights[k,c,r,s] += Inputs[n,c,h,w]  x dOutputs[n,k,p,q], reducing over N, P, Q (Weights read-write)
// so strides carry over unchanged (backward-data is the transposed convolution, expressed on the forward's indices),
// and each phase is mapped on its own. The data spaces keep their forward names (Weights, Inputs, Outputs) in every
// phase; `roleName` gives the gradient's name. A batched product of two activations (attention) has two backward-data
// products, dA and dB. Dilation is not in the lowered dims (ASM: 1).
import type { LayerWork } from '../workload';
import type { DataSpace, Problem } from './types';

export type NestPhase = 'fwd' | 'bwd_data' | 'bwd_weight';

const t = (dim: string, coef = 1) => ({ dim, coef });

/** The loop-nest problems of one layer phase (empty when the layer is not a conv / matrix product). */
export function phaseProblems(l: LayerWork, phase: NestPhase): Problem[] {
  const d = l.dims;
  let dims: string[], bounds: Record<string, number>, W: DataSpace, I: DataSpace, O: DataSpace;
  if (l.cls === 'conv') {
    const G = d.G ?? 1;
    const g = G > 1 ? [[t('G')]] : [];
    dims = [...(G > 1 ? ['G'] : []), 'N', 'K', 'C', 'P', 'Q', 'R', 'S'];
    bounds = {
      G,
      N: d.N,
      K: Math.max(1, Math.round(d.K / G)),
      C: Math.max(1, Math.round(d.C / G)),
      P: d.P,
      Q: d.Q,
      R: d.R,
      S: d.S,
    };
    W = { name: 'Weights', readWrite: false, projection: [...g, [t('K')], [t('C')], [t('R')], [t('S')]] };
    I = {
      name: 'Inputs',
      readWrite: false,
      projection: [[t('N')], ...g, [t('C')], [t('P', d.Hstride ?? 1), t('R')], [t('Q', d.Wstride ?? 1), t('S')]],
    };
    O = { name: 'Outputs', readWrite: false, projection: [[t('N')], ...g, [t('K')], [t('P')], [t('Q')]] };
  } else if (l.cls === 'matmul' || l.cls === 'rnn') {
    // rnn (ASM): its GEMMs as one product, M = N*T rows, N = gates*H outputs, K = X + H inputs, per layer and direction
    const B = l.cls === 'rnn' ? (d.L ?? 1) * (d.D ?? 1) : (d.B ?? 1);
    const M = l.cls === 'rnn' ? d.N * d.T : d.M,
      N = l.cls === 'rnn' ? d.G * d.H : d.N,
      K = l.cls === 'rnn' ? d.X + d.H : d.K;
    const b = B > 1 ? [[t('B')]] : [];
    dims = [...(B > 1 ? ['B'] : []), 'M', 'N', 'K'];
    bounds = { B, M, N, K };
    W = { name: 'Weights', readWrite: false, projection: [...b, [t('K')], [t('N')]] };
    I = { name: 'Inputs', readWrite: false, projection: [...b, [t('M')], [t('K')]] };
    O = { name: 'Outputs', readWrite: false, projection: [...b, [t('M')], [t('N')]] };
  } else return [];
  for (const x of dims) if (!(bounds[x] >= 1)) return [];
  const mk = (rw: DataSpace, suffix = ''): Problem => ({
    name: `${l.name} ${phase}${suffix}`,
    dims,
    bounds,
    dataSpaces: [W, I, O].map((ds) => ({ ...ds, readWrite: ds === rw })),
  });
  if (phase === 'fwd') return [mk(O)];
  if (phase === 'bwd_data') return l.cls === 'matmul' && !l.params ? [mk(I, ' dA'), mk(W, ' dB')] : [mk(I)];
  return l.params > 0 ? [mk(W)] : [];
}

/** The tensor a data space is in a phase: Outputs is the output gradient in both backward phases, etc. */
export function roleName(ds: string, phase: NestPhase, readWrite: boolean): string {
  if (phase === 'fwd') return ds;
  if (ds === 'Outputs') return 'OutputGrads';
  return readWrite ? (ds === 'Inputs' ? 'InputGrads' : 'WeightGrads') : ds;
}

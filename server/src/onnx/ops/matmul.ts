// Matrix products: Gemm/MatMul (linear layers and batched matmuls), Einsum, fused attention.
import type { ImportedLayer } from '../layers';
import { attrI, attrS, einsumParse, type TensorState } from '../shapes';
import type { NodeCtx } from './context';

/** Gemm, MatMul */
export function onGemm(c: NodeCtx): void {
  const { n, ins, acts, x, out0, emit, unsupported, unswap } = c;
  const isGemm = n.opType === 'Gemm';
  const transA = isGemm && attrI(n, 'transA', 0) === 1;
  if (acts.length === 2) {
    let [a, b] = [ins[0], ins[1]];
    let ta = transA,
      tb = isGemm && attrI(n, 'transB', 0) === 1;
    if ((a.shape?.length ?? 0) >= 2 && (b.shape?.length ?? 0) >= 2) {
      const ua = unswap(a, n.inputs[0]);
      if (ua) {
        a = ua;
        ta = !ta;
      }
      const ub = n.inputs[1] === n.inputs[0] ? undefined : unswap(b, n.inputs[1]);
      if (ub) {
        b = ub;
        tb = !tb;
      }
    }
    const keys: ImportedLayer['keys'] = [];
    if (ta) keys.push(['transpose_a', true]);
    if (tb) keys.push(['transpose_b', true]);
    // The output keeps the batch where the operand that carries it has it (leading axes are broadcast).
    const carrier = a.konst ? b : a;
    emit('matmul', keys, [a, b], out0, undefined, {
      bAxis: (carrier.bAxis ?? 0) + ((out0?.length ?? 0) - (carrier.shape?.length ?? 0)),
      merged: carrier.merged ?? null,
    });
    return;
  }
  const w = ins[1]?.shape;
  if (acts[0].i !== 0 || transA || !w || w.length !== 2) {
    unsupported('a matrix product whose weight is the left operand or has more than two dimensions is not modelled');
    return;
  }
  if (x.spec) {
    unsupported("a matrix product on a recurrent layer's output as exported is not modelled");
    return;
  }
  const transB = isGemm && attrI(n, 'transB', 0) === 1;
  const outF = transB ? w[0] : w[1];
  const hasBias = isGemm && !!n.inputs[2];
  emit(
    'linear',
    [
      ['out_features', outF],
      ['bias', hasBias],
    ],
    [x],
    out0,
    { weightShape: transB ? w : [w[1], w[0]] },
  );
}

/** Einsum */
export function onEinsum(c: NodeCtx): void {
  einsum(c);
}

/** Attention, MultiHeadAttention */
export function onAttention(c: NodeCtx): void {
  fusedAttention(c);
}

/** Einsum of two operands as a (batched) matrix product, with transposes where the letters are out of order. */
export function einsum(c: NodeCtx): void {
  const { n, ins, unsupported } = c;
  const eq = einsumParse(attrS(n, 'equation', ''), n.inputs.length);
  const fail = (why: string) => unsupported(`einsum '${attrS(n, 'equation', '')}': ${why}`);
  if (!eq) return fail('equations with an ellipsis or other than letters are not modelled');
  if (eq.ins.length === 1) {
    if (!einsumPermutation(c, eq.ins[0], eq.out)) fail('a one-operand einsum other than a permutation is not modelled');
    return;
  }
  if (eq.ins.length !== 2) return fail('einsums of more than two operands are not modelled');
  const [A, B] = eq.ins;
  const O = eq.out;
  const L: EinsumLetters = {
    A,
    B,
    O,
    batch: O.filter((c) => A.includes(c) && B.includes(c)),
    K: A.filter((c) => B.includes(c) && !O.includes(c)),
    M: A.filter((c) => !B.includes(c) && O.includes(c)),
    N: B.filter((c) => !A.includes(c) && O.includes(c)),
  };
  if ([...A, ...B].some((c) => !O.includes(c) && !L.K.includes(c)))
    return fail('a letter summed over in only one operand is not modelled');
  // x @ W with W a constant [K, N] (or [N, K]) and x ending in K: a linear layer, whatever x's other letters.
  const { K, M, N } = L;
  const xw =
    ins[1].konst &&
    K.length === 1 &&
    B.length === 2 &&
    N.length === 1 &&
    A[A.length - 1] === K[0] &&
    O.join('') === [...A.slice(0, -1), N[0]].join('');
  if (xw) return einsumLinear(c, B, N[0]);
  if (K.length !== 1 || M.length > 1 || N.length > 1)
    return fail('only one contracted letter and at most one free letter per operand are modelled');
  if (ins[0].konst || ins[1].konst) return fail('an einsum with a constant operand other than x @ W is not modelled');
  einsumMatmul(c, L);
}

/** The letters of a two-operand einsum: operands, output, batch letters (in all three), contracted K, free M and N. */
interface EinsumLetters {
  A: string[];
  B: string[];
  O: string[];
  batch: string[];
  K: string[];
  M: string[];
  N: string[];
}

/** A one-operand einsum that permutes its letters: a transpose (or nothing); false when it is something else. */
function einsumPermutation(c: NodeCtx, A: string[], out: string[]): boolean {
  if (A.length !== out.length || !out.every((l) => A.includes(l))) return false;
  const before = c.layers.length;
  const st = c.permute(
    c.x,
    out.map((l) => A.indexOf(l)),
  );
  if (c.layers.length === before) c.alias(st);
  return true;
}

/** x @ W as a linear layer without bias; W's letters say whether it is stored [K, N] or [N, K]. */
function einsumLinear(c: NodeCtx, B: string[], nLetter: string): void {
  const w = c.ins[1].shape!;
  c.emit(
    'linear',
    [
      ['out_features', w[B.indexOf(nLetter)]],
      ['bias', false],
    ],
    [c.x],
    c.out0,
    { weightShape: B[0] === nLetter ? w : [w[1], w[0]] },
  );
}

/**
 * Two activations: A brought to [batch..., M, K] (or [batch..., K, M] with transpose_a) and B to [batch..., K, N] (or
 * transposed) by transposes where needed, one matmul, and a transpose of its output when the letters differ.
 */
function einsumMatmul(c: NodeCtx, L: EinsumLetters): void {
  const { n, ins, emit, permute, env } = c;
  const { A, B, O, batch, K, M, N } = L;
  const lead = (X: string[], tail: string[]) =>
    X.length === batch.length + tail.length && X.slice(0, batch.length).every((l, i) => l === batch[i]);
  // A: [batch..., M, K] as is, [batch..., K, M] as transpose_a, else permuted to [batch..., M, K].
  const aTail = [M[0], K[0]].filter(Boolean);
  const aLast = A.slice(-2);
  let ta = false;
  let aPerm = [...batch, ...aTail].map((l) => A.indexOf(l));
  if (lead(A, aTail)) {
    if (aTail.length === 2 && aLast[0] === aTail[1] && aLast[1] === aTail[0]) {
      aPerm = A.map((_, i) => i);
      ta = true;
    } else if (aTail.every((l, i) => aLast[aLast.length - aTail.length + i] === l)) aPerm = A.map((_, i) => i);
  }
  // B: the free letter after K, [batch..., K, N]; [batch..., N, K] as transpose_b.
  const bTail = [K[0], ...N];
  let tb = false;
  let bPerm = [...batch, ...bTail].map((l) => B.indexOf(l));
  if (lead(B, bTail)) {
    if (B.slice(-bTail.length).every((l, i) => l === bTail[i])) bPerm = B.map((_, i) => i);
    else if (bTail.length === 2 && B[B.length - 2] === bTail[1] && B[B.length - 1] === bTail[0]) {
      bPerm = B.map((_, i) => i);
      tb = true;
    }
  }
  const a = permute(ins[0], aPerm, 'a');
  const b = permute(ins[1], bPerm, 'b');
  const mmOut = [...batch, ...M, ...N];
  const size = (l: string) => (A.includes(l) ? ins[0].shape![A.indexOf(l)] : ins[1].shape![B.indexOf(l)]);
  const keys: ImportedLayer['keys'] = [];
  if (ta) keys.push(['transpose_a', true]);
  if (tb) keys.push(['transpose_b', true]);
  const aB = a.bAxis ?? 0;
  const direct = mmOut.join('') === O.join('');
  emit(
    'matmul',
    keys,
    [a, b],
    mmOut.map(size),
    undefined,
    direct
      ? { bAxis: aB, merged: a.merged ?? null }
      : { bAxis: aB, merged: a.merged ?? null, tensor: `${n.outputs[0]}::mm`, suffix: 'mm' },
  );
  if (direct) return;
  const st = permute(
    env.get(`${n.outputs[0]}::mm`)!,
    O.map((l) => mmOut.indexOf(l)),
    'o',
  );
  env.set(n.outputs[0], st);
}

/** com.microsoft Attention (input projection included) and MultiHeadAttention (q, k, v given), as layers. */
export function fusedAttention(c: NodeCtx): void {
  const { n, ins, x, xb, emit, unsupported, permute, env, batch } = c;
  const H = attrI(n, 'num_heads', 0);
  if (!H || !x.shape || x.shape.length !== 3 || xb !== 0 || x.merged !== undefined) {
    unsupported('fused attention needs num_heads and [N, T, D] inputs');
    return;
  }
  const [, T, Din] = x.shape;
  let q: TensorState, k: TensorState, v: TensorState, D: number;
  const sub = (s: string) => `${n.outputs[0]}::${s}`;
  if (n.opType === 'Attention') {
    const w = ins[1]?.shape;
    if (!w || w.length !== 2) {
      unsupported('fused attention without a 2-D weight is not modelled');
      return;
    }
    D = w[1] / 3;
    const qkv = emit(
      'linear',
      [
        ['out_features', w[1]],
        ['bias', !!n.inputs[2]],
      ],
      [x],
      [batch, T, w[1]],
      { weightShape: [w[1], w[0]] },
      { tensor: sub('qkv'), suffix: 'qkv' },
    );
    const st = { ...env.get(sub('qkv'))!, layer: qkv.name };
    const part = (i: number, nm: string) => {
      emit(
        'slice',
        [
          ['axis', 1],
          ['start', i * D],
          ['end', (i + 1) * D],
        ],
        [st],
        [batch, T, D],
        undefined,
        { tensor: sub(nm), suffix: nm },
      );
      return env.get(sub(nm))!;
    };
    [q, k, v] = [part(0, 'q'), part(1, 'k'), part(2, 'v')];
    void Din;
  } else {
    const [kq, kk, kv] = [ins[0], ins[1], ins[2]];
    if (!kk?.shape || !kv?.shape || kk.konst || kv.konst) {
      unsupported('MultiHeadAttention with packed or constant keys/values is not modelled');
      return;
    }
    [q, k, v] = [kq, kk, kv];
    D = x.shape[2];
  }
  const dh = D / H;
  const heads = (st: TensorState, nm: string): TensorState => {
    const t = st.shape![1];
    emit('reshape', [['shape', [t, H, dh]]], [st], [batch, t, H, dh], undefined, {
      tensor: sub(nm + 'r'),
      suffix: nm + '_heads',
    });
    return permute(env.get(sub(nm + 'r'))!, [0, 2, 1, 3], nm + 't');
  };
  const [qh, kh, vh] = [heads(q, 'q'), heads(k, 'k'), heads(v, 'v')];
  const Tk = k.shape![1];
  emit('matmul', [['transpose_b', true]], [qh, kh], [batch, H, T, Tk], undefined, {
    tensor: sub('scores'),
    suffix: 'scores',
  });
  emit('softmax', [], [env.get(sub('scores'))!], [batch, H, T, Tk], undefined, {
    tensor: sub('probs'),
    suffix: 'softmax',
  });
  emit('matmul', [], [env.get(sub('probs'))!, vh], [batch, H, T, dh], undefined, {
    tensor: sub('ctx'),
    suffix: 'context',
  });
  const ctx = permute(env.get(sub('ctx'))!, [0, 2, 1, 3], 'ctxt');
  emit('reshape', [['shape', [T, D]]], [ctx], [batch, T, D], undefined, { suffix: 'merge' });
  n.outputs.slice(1).forEach((o) => o && env.set(o, { konst: true }));
}

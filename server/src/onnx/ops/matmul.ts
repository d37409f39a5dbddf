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
  const { n, ins, x, out0, alias, emit, unsupported, permute, env, layers } = c;
  const eq = einsumParse(attrS(n, 'equation', ''), n.inputs.length);
  const fail = (why: string) => unsupported(`einsum '${attrS(n, 'equation', '')}': ${why}`);
  if (!eq) {
    fail('equations with an ellipsis or other than letters are not modelled');
    return;
  }
  if (eq.ins.length === 1) {
    const [A] = eq.ins;
    if (A.length === eq.out.length && eq.out.every((c) => A.includes(c))) {
      const before = layers.length;
      const st = permute(
        x,
        eq.out.map((c) => A.indexOf(c)),
      );
      if (layers.length === before) alias(st);
      return;
    }
    fail('a one-operand einsum other than a permutation is not modelled');
    return;
  }
  if (eq.ins.length !== 2) {
    fail('einsums of more than two operands are not modelled');
    return;
  }
  const [A, B] = eq.ins;
  const O = eq.out;
  const batchL = O.filter((c) => A.includes(c) && B.includes(c));
  const K = A.filter((c) => B.includes(c) && !O.includes(c));
  const M = A.filter((c) => !B.includes(c) && O.includes(c));
  const N = B.filter((c) => !A.includes(c) && O.includes(c));
  if ([...A, ...B].some((c) => !O.includes(c) && !K.includes(c))) {
    fail('a letter summed over in only one operand is not modelled');
    return;
  }
  if (K.length !== 1 || M.length > 1 || N.length > 1) {
    // x @ W with several row letters: a linear layer when W is a constant [K, N] and x ends in K.
    if (
      ins[1].konst &&
      K.length === 1 &&
      B.length === 2 &&
      N.length === 1 &&
      A[A.length - 1] === K[0] &&
      O.join('') === [...A.slice(0, -1), N[0]].join('')
    ) {
      const w = ins[1].shape!;
      emit(
        'linear',
        [
          ['out_features', w[B.indexOf(N[0])]],
          ['bias', false],
        ],
        [x],
        out0,
        { weightShape: B[0] === N[0] ? w : [w[1], w[0]] },
      );
      return;
    }
    fail('only one contracted letter and at most one free letter per operand are modelled');
    return;
  }
  if (ins[0].konst || ins[1].konst) {
    if (
      !ins[0].konst &&
      B.length === 2 &&
      N.length === 1 &&
      A[A.length - 1] === K[0] &&
      O.join('') === [...A.slice(0, -1), N[0]].join('')
    ) {
      const w = ins[1].shape!;
      emit(
        'linear',
        [
          ['out_features', w[B.indexOf(N[0])]],
          ['bias', false],
        ],
        [x],
        out0,
        { weightShape: B[0] === N[0] ? w : [w[1], w[0]] },
      );
      return;
    }
    fail('an einsum with a constant operand other than x @ W is not modelled');
    return;
  }
  // Bring A to [batch..., M, K] (or [batch..., K, M] with transpose_a) and B to [batch..., K, N] (or transposed).
  const order = (L: string[], free: string[]): { perm: number[]; trans: boolean } => {
    const lastTwo = L.slice(-2);
    const tail = [free[0], K[0]].filter(Boolean);
    if (L.length === batchL.length + tail.length && L.slice(0, batchL.length).every((c, i) => c === batchL[i])) {
      if (tail.length === 2 && lastTwo[0] === tail[1] && lastTwo[1] === tail[0])
        return { perm: L.map((_, i) => i), trans: true };
      if (tail.every((c, i) => lastTwo[lastTwo.length - tail.length + i] === c))
        return { perm: L.map((_, i) => i), trans: false };
    }
    return { perm: [...batchL, ...tail].map((c) => L.indexOf(c)), trans: false };
  };
  const oa = order(A, M),
    ob = order(B, N.length ? [K[0], N[0]].slice(1) : []);
  // For B the free letter comes after K: [batch..., K, N].
  const bTail = [K[0], ...N];
  const bOk = B.length === batchL.length + bTail.length && B.slice(0, batchL.length).every((c, i) => c === batchL[i]);
  let tb = false;
  let bPerm: number[];
  if (bOk && B.slice(-bTail.length).every((c, i) => c === bTail[i])) bPerm = B.map((_, i) => i);
  else if (bOk && bTail.length === 2 && B[B.length - 2] === bTail[1] && B[B.length - 1] === bTail[0]) {
    bPerm = B.map((_, i) => i);
    tb = true;
  } else bPerm = [...batchL, ...bTail].map((c) => B.indexOf(c));
  void ob;
  const a = permute(ins[0], oa.perm, 'a');
  const b = permute(ins[1], bPerm, 'b');
  const mmOut = [...batchL, ...M, ...N];
  const size = (c: string) => (A.includes(c) ? ins[0].shape![A.indexOf(c)] : ins[1].shape![B.indexOf(c)]);
  const mmShape = mmOut.map(size);
  const keys: ImportedLayer['keys'] = [];
  if (oa.trans) keys.push(['transpose_a', true]);
  if (tb) keys.push(['transpose_b', true]);
  const aB = a.bAxis ?? 0;
  const direct = mmOut.join('') === O.join('');
  emit(
    'matmul',
    keys,
    [a, b],
    mmShape,
    undefined,
    direct
      ? { bAxis: aB, merged: a.merged ?? null }
      : { bAxis: aB, merged: a.merged ?? null, tensor: `${n.outputs[0]}::mm`, suffix: 'mm' },
  );
  if (direct) return;
  const mm = env.get(`${n.outputs[0]}::mm`)!;
  const st = permute(
    mm,
    O.map((c) => mmOut.indexOf(c)),
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

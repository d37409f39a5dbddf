// Bad or extreme input never crashes the simulator and never produces NaN/Infinity (results are serialised as JSON).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../../server/src/sim/index';
import { KINDS } from '../../../server/src/kinds/params';
import type { TargetModel } from '../../../server/src/spec/types';
import { net, mlp, target } from './fixtures';
import { resnet50 } from './nets';

function finiteEverywhere(x: unknown, path = '$'): string | null {
  if (typeof x === 'number') return Number.isFinite(x) ? null : `${path} = ${x}`;
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const e = finiteEverywhere(x[i], `${path}[${i}]`);
      if (e) return e;
    }
    return null;
  }
  if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      const e = finiteEverywhere(v, `${path}.${k}`);
      if (e) return e;
    }
  }
  return null;
}

const ours: TargetModel[] = [
  target('ntx', 'ntx'),
  target('ntx', 'neurostream'),
  target('caterpillar', 'caterpillar-small'),
  target('caterpillar', 'caterpillar-large', { 'control.mode': 'cp' }),
];

test('empty network, batch 0, a lone reshape: no crash, zero time, finite numbers', () => {
  const empty = net([3, 8, 8], []);
  const r = simulate(empty, ours);
  assert.equal(r.network.layerCount, 0);
  for (const t of r.targets) {
    assert.equal(t.totals.timeS, 0);
    assert.equal(t.totals.flops, 0);
  }
  assert.equal(finiteEverywhere(r), null);
  const b0 = simulate({ ...mlp([8, 4]), batch: 0 }, ours);
  assert.equal(b0.network.batch, 1);
  assert.equal(finiteEverywhere(b0), null);
  assert.equal(finiteEverywhere(simulate(net([16], [{ type: 'flatten' }]), ours)), null);
});

test('degenerate parameters (zero, negative, NaN, strings) are clamped or defaulted, never NaN', () => {
  const bad: Record<string, number | string> = {};
  for (const k of ['ntx', 'caterpillar'] as const)
    for (const p of KINDS.find((x) => x.kind === k)!.params)
      bad[p.path] = p.dim === 'enum' ? 'nonsense' : p.dim === 'bool' ? 'maybe' : NaN;
  const zeros: Record<string, number> = {};
  for (const k of ['ntx', 'caterpillar'] as const)
    for (const p of KINDS.find((x) => x.kind === k)!.params) if (typeof p.default === 'number') zeros[p.path] = 0;
  const n = mlp([64, 32, 10], { batch: 4 });
  for (const over of [bad, zeros]) {
    const r = simulate(n, [target('ntx', 'ntx', over), target('caterpillar', 'caterpillar-small', over)]);
    assert.equal(finiteEverywhere(r), null, JSON.stringify(finiteEverywhere(r)));
    for (const t of r.targets) assert.ok(t.totals.timeS > 0, `${t.name} time`);
  }
});

test('every preset of every kind on ResNet-50 (bf16, adam): finite, positive time, baseline ratios', () => {
  const targets = KINDS.flatMap((k) => k.presets.map((p) => target(k.kind, p.name)));
  const r = simulate(resnet50({ precision: 'bf16', optimizer: 'adam', batch: 8 }), targets, { baseline: 'ntx' });
  assert.equal(finiteEverywhere(r), null, finiteEverywhere(r) ?? '');
  for (const t of r.targets) {
    assert.ok(t.totals.timeS > 0, `${t.name}`);
    if (t.name !== 'ntx') assert.ok(t.vsBaseline && t.vsBaseline.speedup > 0, `${t.name} vsBaseline`);
  }
  assert.doesNotThrow(() => JSON.stringify(r));
});

test('unsupported and odd layers (matmul, lstm, embedding, softmax, concat) lower without crashing', () => {
  const n = net(
    [16],
    [
      { type: 'embedding', name: 'emb', attrs: { numEmbeddings: 100, embeddingDim: 32 } },
      { type: 'lstm', name: 'lstm', attrs: { hiddenSize: 32 } },
      { type: 'linear', name: 'q', attrs: { outFeatures: 32 } },
      { type: 'matmul', name: 'att', inputs: ['q', 'lstm'], attrs: { transposeB: true }, outShape: [16, 16] },
      { type: 'softmax', name: 'sm' },
      { type: 'concat', name: 'cat', inputs: ['sm', 'sm'], outShape: [16, 32] },
      { type: 'unsupported', name: 'weird', attrs: { opType: 'Foo' }, outShape: [16, 32] },
    ],
    { batch: 2 },
  );
  const r = simulate(n, ours);
  assert.equal(finiteEverywhere(r), null);
  assert.ok(r.targets[0].notes.some((s) => s.includes('unsupported')));
  const att = r.targets[0].layers.find((l) => l.name === 'att')!;
  assert.equal(att.dims.M, 16);
  assert.equal(att.dims.K, 32);
  assert.equal(att.dims.N, 16);
});

test('a malformed network object (missing shapes) becomes notes, not an exception', () => {
  const n = mlp([8, 4]);
  const broken = {
    ...n,
    layers: [
      {
        ...n.layers[0],
        inShapes: undefined as unknown as number[][],
        outShape: undefined as unknown as number[],
        attrs: undefined as never,
      },
    ],
  };
  const r = simulate(broken, ours);
  assert.equal(r.targets.length, ours.length);
  assert.equal(finiteEverywhere(r), null);
});

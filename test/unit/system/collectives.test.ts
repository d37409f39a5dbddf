// Collectives on the two-level fabric: the alpha-beta formulas on hand-checkable numbers, the hierarchy across nodes,
// the 2-D algorithms, and the ring all-reduce bus bandwidth of an 8-GPU NVSwitch node against NCCL's published
// figures (REC: nccl-tests all_reduce_perf, large messages: ~235 GB/s on DGX A100, ~365 GB/s on DGX H100 without
// NVLink SHARP; tolerance 15%).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { busBandwidth, collective, type Fabric } from '../../../server/src/kinds/system/collectives';
import { readSystem } from '../../../server/src/kinds/system/model';
import { resolveTargets } from '../../../server/src/spec/index';

const fab = (over: Partial<Fabric> = {}): Fabric => ({
  devicesPerNode: 8,
  node: { topology: 'switch', bandwidth: 100e9, latency: 1e-6, efficiency: 1, energyPerByte: 1e-12 },
  network: { topology: 'switch', bandwidth: 10e9, latency: 5e-6, efficiency: 1, energyPerByte: 10e-12 },
  ...over,
});

test('ring all-reduce in a node: 2(g-1)/g * S/B + 2(g-1) * latency; reduce-scatter and all-gather half of it', () => {
  const S = 1e9,
    f = fab();
  const ar = collective('all_reduce', S, 8, 1, f);
  assert.ok(Math.abs(ar.timeS - (2 * (7 / 8) * (S / 100e9) + 14e-6)) < 1e-12);
  assert.equal(ar.bytesPerDevice, 2 * (7 / 8) * S);
  const rs = collective('reduce_scatter', S, 8, 1, f),
    ag = collective('all_gather', S, 8, 1, f);
  assert.ok(Math.abs(rs.timeS + ag.timeS - ar.timeS) < 1e-12);
  assert.equal(collective('all_reduce', S, 1, 1, f).timeS, 0);
  assert.ok(Math.abs(collective('send_recv', S, 2, 1, f).timeS - (S / 100e9 + 1e-6)) < 1e-12);
  // efficiency scales the bandwidth term only
  const half = collective('all_reduce', S, 8, 1, fab({ node: { ...f.node, efficiency: 0.5 } }));
  assert.ok(Math.abs(half.timeS - (2 * 2 * (7 / 8) * (S / 100e9) + 14e-6)) < 1e-12);
});

test('a group spanning nodes is hierarchical: reduce-scatter in the node, all-reduce of 1/8 across nodes, all-gather', () => {
  const S = 8e9,
    f = fab();
  const c = collective('all_reduce', S, 32, 1, f); // 8 per node x 4 nodes
  const inNode = (7 / 8) * (S / 100e9) + 7e-6;
  const across = 2 * (3 / 4) * (S / 8 / 10e9) + 6 * 5e-6;
  assert.ok(Math.abs(c.timeS - (2 * inNode + across)) < 1e-12, `${c.timeS}`);
  assert.match(c.algorithm, /hierarchical: 8 per node/);
  // a data-parallel group tp = 8 apart has one member per node: all of it crosses the network
  const dp = collective('all_reduce', S, 4, 8, f);
  assert.ok(Math.abs(dp.timeS - (2 * (3 / 4) * (S / 10e9) + 6 * 5e-6)) < 1e-12);
  assert.match(dp.algorithm, /across nodes/);
  assert.ok(dp.energyJ > c.energyJ / 10);
});

test('2-D torus: rings along X then Y; a mesh without wrap-around links takes twice the bandwidth time', () => {
  const S = 1.6e9;
  const t = collective(
    'all_reduce',
    S,
    16,
    1,
    fab({
      devicesPerNode: 16,
      node: { topology: 'torus2d', bandwidth: 100e9, latency: 0, efficiency: 1, energyPerByte: 0 },
    }),
  );
  assert.ok(Math.abs(t.timeS - (2 * ((3 / 4) * S + (3 / 4) * (S / 4))) / 100e9) < 1e-12);
  const m = collective(
    'all_reduce',
    S,
    16,
    1,
    fab({
      devicesPerNode: 16,
      node: { topology: 'mesh2d', bandwidth: 100e9, latency: 0, efficiency: 1, energyPerByte: 0 },
    }),
  );
  assert.ok(Math.abs(m.timeS / t.timeS - 2) < 1e-12);
  // the same bandwidth term as one ring (both are bandwidth-optimal; links are used one dimension at a time, ASM),
  // but 2 x (4 + 4 - 2) latency steps instead of 2 x 15
  const lat = { bandwidth: 100e9, latency: 1e-6, efficiency: 1, energyPerByte: 0 };
  const ring = collective('all_reduce', S, 16, 1, fab({ devicesPerNode: 16, node: { topology: 'ring', ...lat } }));
  const torus = collective('all_reduce', S, 16, 1, fab({ devicesPerNode: 16, node: { topology: 'torus2d', ...lat } }));
  assert.ok(Math.abs(ring.timeS - torus.timeS - (30 - 12) * 1e-6) < 1e-12);
});

test("8-GPU NVSwitch nodes: all-reduce bus bandwidth within 15% of NCCL's published figures (DGX A100 ~235 GB/s, DGX H100 ~365 GB/s)", () => {
  for (const [preset, nccl] of [
    ['a100-cluster', 235e9],
    ['dgx-h100', 365e9],
  ] as const) {
    const { sys } = readSystem(resolveTargets([preset], []).targets[0]);
    const S = 4 * 1024 ** 3; // 4 GiB, nccl-tests' large-message end
    const c = collective('all_reduce', S, 8, 1, sys!.fabric);
    const bus = busBandwidth(S, 8, c.timeS);
    assert.ok(Math.abs(bus / nccl - 1) < 0.15, `${preset}: ${(bus / 1e9).toFixed(0)} GB/s vs NCCL ~${nccl / 1e9}`);
    // small messages are latency-bound: bus bandwidth falls far below
    const small = collective('all_reduce', 64 * 1024, 8, 1, sys!.fabric);
    assert.ok(busBandwidth(64 * 1024, 8, small.timeS) < bus / 10);
  }
});

test('algorithms on a switch: tree wins small all-reduces (log steps), ring large ones (less traffic); halving-doubling on request; links multiply bandwidth', () => {
  const f = fab({
    devicesPerNode: 64,
    node: { topology: 'switch', bandwidth: 100e9, latency: 5e-6, efficiency: 1, energyPerByte: 0 },
  });
  // crossover: tree sends S/32 more per device, ring takes 2 x (63 - 6) more steps: S = 57 x 10 us x 3.2 TB/s = 1.8 GB
  const small = collective('all_reduce', 1e5, 64, 1, f),
    large = collective('all_reduce', 1e10, 64, 1, f);
  assert.match(small.algorithm, /^tree/);
  assert.ok(Math.abs(small.timeS - ((2 * 1e5) / 100e9 + 2 * 6 * 5e-6)) < 1e-12, `${small.timeS}`);
  assert.match(large.algorithm, /^ring/);
  assert.ok(Math.abs(large.timeS - ((2 * (63 / 64) * 1e10) / 100e9 + 2 * 63 * 5e-6)) < 1e-12);
  assert.match(collective('all_reduce', 1e9, 64, 1, f).algorithm, /^tree/);
  // forced: the same formulas whatever the size
  const ringSmall = collective('all_reduce', 1e5, 64, 1, fab({ ...f, node: { ...f.node, algorithm: 'ring' } }));
  assert.ok(ringSmall.timeS > small.timeS && /^ring/.test(ringSmall.algorithm));
  const hd = collective('all_reduce', 1e9, 64, 1, fab({ ...f, node: { ...f.node, algorithm: 'halving_doubling' } }));
  assert.ok(Math.abs(hd.timeS - 2 * (((63 / 64) * 1e9) / 100e9 + 6 * 5e-6)) < 1e-12, `${hd.timeS}`);
  assert.match(hd.algorithm, /^halving-doubling/);
  // 48 ranks: 32 in the power-of-two core, the other 16 fold in and out (one S/B + a step each way)
  const hd48 = collective('all_reduce', 1e9, 48, 1, fab({ ...f, node: { ...f.node, algorithm: 'halving_doubling' } }));
  assert.ok(Math.abs(hd48.timeS - (2 * (((31 / 32) * 1e9) / 100e9 + 5 * 5e-6) + 2 * (1e9 / 100e9 + 5e-6))) < 1e-12);
  const rsHd = collective(
    'reduce_scatter',
    1e9,
    64,
    1,
    fab({ ...f, node: { ...f.node, algorithm: 'halving_doubling' } }),
  );
  assert.ok(Math.abs(rsHd.timeS - hd.timeS / 2) < 1e-12);
  // tree and halving-doubling need a switch: a ring topology keeps the ring
  assert.match(
    collective('all_reduce', 1e5, 64, 1, fab({ ...f, node: { ...f.node, topology: 'ring', algorithm: 'tree' } }))
      .algorithm,
    /^ring/,
  );
  // links: 4 links of 100 GB/s = 400 GB/s per device
  const four = collective('all_reduce', 1e9, 64, 1, fab({ ...f, node: { ...f.node, links: 4, algorithm: 'ring' } }));
  assert.ok(Math.abs(four.timeS - ((2 * (63 / 64) * 1e9) / 400e9 + 2 * 63 * 5e-6)) < 1e-12);
});

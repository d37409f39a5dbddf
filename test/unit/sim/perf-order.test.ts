// The shared training order (built once per workload, see target.ts) and the per-layer phase order of results:
// the speed-ups must not change what the simulator returns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lower, simulate } from '../../../server/src/sim/index';
import { orderSteps, trainingOrder } from '../../../server/src/sim/target';
import { KINDS } from '../../../server/src/kinds/params';
import { deepChain } from './nets';
import { target } from './fixtures';

test('trainingOrder is built once per workload and per variant, and is the documented order', () => {
  const w = lower(deepChain(6));
  const a = trainingOrder(w),
    b = trainingOrder(w),
    inline = trainingOrder(w, true);
  assert.equal(a, b, 'same array for the same workload');
  assert.notEqual(a, inline, 'the inline-update order is its own array');
  // conv0 bn1 relu2 conv3 bn4 relu5: fwd 0..5, then backward 5..0 (relu2 has a bwd_data only because conv0 has
  // weights).
  const str = (s: readonly { layer: number; work: { phase: string } }[]) =>
    s.map((x) => `${x.layer}${x.work.phase[0]}${x.work.phase.at(-1)}`).join(' ');
  assert.equal(str(orderSteps(a)), '0fd 1fd 2fd 3fd 4fd 5fd 5ba 4ba 4bt 3ba 3bt 2ba 1ba 1bt 0bt 0ue 1ue 3ue 4ue');
  assert.equal(str(orderSteps(inline)), '0fd 1fd 2fd 3fd 4fd 5fd 5ba 4ba 4bt 4ue 3ba 3bt 3ue 2ba 1ba 1bt 1ue 0bt 0ue');
  assert.notEqual(trainingOrder(lower(deepChain(6))), a, 'another workload gets its own order');
});

test('every layer result lists its phases in PHASES order on every kind, and repeated runs are identical', () => {
  const net = deepChain(30);
  const targets = KINDS.map((k) => target(k.kind, k.presets[0]?.name));
  const r1 = simulate(net, targets),
    r2 = simulate(net, targets);
  assert.equal(JSON.stringify(r1), JSON.stringify(r2));
  const rank = { fwd: 0, bwd_data: 1, bwd_weight: 2, update: 3 };
  for (const t of r1.targets) {
    assert.equal(t.layers.length, 30, t.name);
    for (const l of t.layers) {
      const ranks = l.phases.map((p) => rank[p.phase]);
      assert.deepEqual(
        ranks,
        [...ranks].sort((x, y) => x - y),
        `${t.name} ${l.name}`,
      );
    }
    assert.equal(t.layers[0].phases.length, 3, `${t.name}: conv0 has fwd, bwd_weight, update`);
  }
});

// sim/explain.ts: the terms of a phase with their arithmetic, the level the memory term is about, and the report
// (terms + sensitivities with sources) shared by the CLI, the hover and the dashboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveTargets } from '../../../server/src/spec/index';
import { simulate } from '../../../server/src/sim/index';
import { explain, explainPhase } from '../../../server/src/sim/explain';
import { eng } from '../../../server/src/sim/units';
import { networkOf } from '../examples/load';

const net = networkOf('resnet18.net.yaml');
const [ntx, h100] = resolveTargets(['ntx', 'h100-sxm'], []).targets;

test("a phase's formulas: FLOPs at the achieved rate against the peak, bytes of the bounding level at its bandwidth, how the terms combine", () => {
  const r = simulate(net, [ntx]).targets[0];
  const p = r.layers.find((l) => l.name === 'layer1.0.conv1')!.phases.find((x) => x.phase === 'fwd')!;
  const e = explainPhase(p, r);
  const rate = p.flops / p.computeS;
  assert.equal(
    e.formulas[0],
    `compute ${eng(p.computeS, 's')} = ${eng(p.flops, 'FLOP')} at ${eng(rate, 'FLOP/s')} (${Math.round((rate / r.peak.flops) * 100)}% of the ${eng(r.peak.flops, 'FLOP/s')} peak)`,
  );
  // NTX's TCDM traffic is served inside the compute term; the memory term is the DRAM stream
  const dram = p.bytes.dram;
  assert.match(e.formulas[1], new RegExp(`^memory ${eng(p.memoryS, 's')} = ${eng(dram, 'B')} of dram at `));
  assert.equal(e.formulas.at(-1), `time ${eng(p.timeS, 's')} = max(compute, memory) + overhead: compute-bound`);
  assert.equal(e.bound, 'compute');
  assert.equal(
    e.levels.find((l) => l.name === 'dram')!.atPeakS,
    dram / r.peak.levels.find((l) => l.name === 'dram')!.bandwidthBps,
  );
  assert.match(e.mapping ?? '', /^output tile \d+x\d+/);
});

test('a GPU phase whose time is not max + overhead says so; the whole step has its totals and ranked knobs with sources', () => {
  const r = simulate(net, [h100]).targets[0];
  const p = r.layers.find((l) => l.name === 'conv1')!.phases.find((x) => x.phase === 'bwd_weight')!;
  const e = explainPhase(p, r);
  assert.equal(e.formulas.length, 4);
  assert.match(e.formulas[3], /model does not overlap its terms fully: max \+ overhead would be/);
  const rep = explain(net, ntx, simulate(net, [ntx]).targets[0], {});
  assert.ok(!('error' in rep));
  if ('error' in rep) return;
  assert.deepEqual(rep.phases, []);
  assert.equal(rep.totals!.timeS, rep.timeS);
  assert.ok(rep.sensitivities.length > 10);
  for (let i = 1; i < rep.sensitivities.length; i++)
    assert.ok(Math.abs(rep.sensitivities[i - 1].time) >= Math.abs(rep.sensitivities[i].time));
  assert.ok(
    rep.sensitivities.every((s) => /^(SRC|DER|REC|ASM) (preset|kind default)|^spec: /.test(s.source)),
    rep.sensitivities.map((s) => s.source).join('\n'),
  );
  const clock = rep.sensitivities.find((s) => s.path === 'compute.clock')!;
  assert.ok(clock.time < -0.5, `clock elasticity ${clock.time}`);
  assert.equal(clock.valueText, '1.25 GHz'); // as a spec writes it
  // a layer, one phase; unknown names are errors that say what exists
  const one = explain(net, ntx, simulate(net, [ntx]).targets[0], { layer: 'conv1', phase: 'fwd' });
  assert.ok(!('error' in one) && one.phases.length === 1 && one.timeS === one.phases[0].timeS);
  assert.deepEqual(explain(net, ntx, simulate(net, [ntx]).targets[0], { layer: 'nope' }), {
    error: 'No layer `nope` in the result of ntx.',
  });
  assert.match(
    (explain(net, ntx, simulate(net, [ntx]).targets[0], { layer: 'relu', phase: 'bwd_weight' }) as { error: string })
      .error,
    /has no bwd_weight phase on ntx \(it has fwd, bwd_data\)/,
  );
});

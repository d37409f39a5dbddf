// `accelmap explain`: the terms behind a time and an energy, and the elasticities of the result to every knob of the
// target, checked against direct re-simulation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resolveTargets } from '../../../server/src/spec/index';
import { simulate } from '../../../server/src/sim/index';
import { sensitivities, measure } from '../../../server/src/sim/sensitivity';
import { networkOf } from '../examples/load';
import { runCli } from './run-cli';

const RESNET18 = join(__dirname, '..', '..', '..', 'examples', 'resnet18.net.yaml');
const net = networkOf('resnet18.net.yaml');
const [ntx] = resolveTargets(['ntx'], []).targets;

test('elasticities match re-simulating with the parameter changed by 10%', () => {
  const s = sensitivities(net, ntx);
  const base = simulate(net, [ntx]).targets[0].totals;
  for (const path of ['compute.clock', 'compute.tcdm_efficiency', 'memory.dram_bandwidth']) {
    const e = s.find((x) => x.path === path)!;
    const v = ntx.params[path] as number;
    const t = simulate(net, [{ ...ntx, params: { ...ntx.params, [path]: v * 1.1 } }]).targets[0].totals.timeS;
    const predicted = base.timeS * 1.1 ** e.time;
    assert.ok(
      Math.abs(t / predicted - 1) < 0.03,
      `${path}: elasticity ${e.time} predicts ${predicted}, re-simulation gives ${t}`,
    );
  }
  // Energy constants do not change the time; the flop energy moves the energy.
  const ef = s.find((x) => x.path === 'energy.flop')!;
  assert.equal(ef.time, 0);
  assert.ok(ef.energy > 0.3 && ef.energy <= 1);
  // Sorted by the size of the time elasticity, each with its provenance.
  for (let i = 1; i < s.length; i++) assert.ok(Math.abs(s[i - 1].time) >= Math.abs(s[i].time));
  assert.ok(
    s.every((x) => x.provenance),
    'every parameter says where it came from',
  );
});

test('a layer phase: its measure is the sum of its phases on that target', () => {
  const r = simulate(net, [ntx]).targets[0];
  const m = measure(r, { layer: 'conv1', phase: 'fwd' });
  const p = r.layers.find((l) => l.name === 'conv1')!.phases.find((x) => x.phase === 'fwd')!;
  assert.equal(m.timeS, p.timeS);
  assert.equal(m.energyJ, p.energyJ);
});

test('accelmap explain prints the terms, the bound and the knobs that move the result, with sources; json has them all', () => {
  const txt = runCli(['explain', RESNET18, '-t', 'h100-sxm', '-l', 'conv1', '--phase', 'bwd_weight', '--top', '5']);
  assert.equal(txt.code, 0, txt.err);
  assert.match(txt.out, /^resnet18 on h100-sxm \(gpu\) — layer conv1, bwd_weight, batch \d+$/m);
  assert.match(
    txt.out,
    /^ {2}bwd_weight: [\d.]+ [µm]?s = (compute|memory|overhead)-bound \(compute [\d.]+ [µmn]?s, memory [\d.]+ [µmn]?s, overhead [\d.]+ [µmn]?s\)$/m,
  );
  assert.match(txt.out, /what moves it \(elasticity/);
  assert.ok(
    txt.out.split('\n').filter((l) => /^ {2}[a-z_]+\.[a-z_0-9.]+ +[-\d.e+]+ +time [+-]/.test(l)).length === 5,
    txt.out,
  );
  assert.match(txt.out, /(SRC|DER|REC|ASM) /);
  const js = JSON.parse(runCli(['explain', RESNET18, '-t', 'ntx', '-f', 'json']).out);
  assert.equal(js.target, 'ntx');
  assert.ok(
    js.terms.timeS > 0 &&
      js.sensitivities.length === Object.values(ntx.params).filter((v) => typeof v === 'number' && v !== 0).length,
  );
});

test('explain errors say what is missing or wrong', () => {
  assert.match(runCli(['explain', RESNET18]).err, /explain needs --target NAME/);
  assert.match(runCli(['explain', RESNET18, '-t', 'ntx', '--phase', 'fwd']).err, /--phase needs --layer/);
  assert.match(
    runCli(['explain', RESNET18, '-t', 'ntx', '-l', 'nope']).err,
    /no layer 'nope' in resnet18 \(its layers: conv1, /,
  );
});

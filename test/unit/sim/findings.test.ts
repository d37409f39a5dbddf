// Simulator findings are typed records (code, severity, target, numbers, message); the editor's "does not fit"
// warnings are chosen by code. A preset whose own notes say "does not fit" (CATERPILLAR's caveats) must not produce
// one; a network that really overflows the target must, with the numbers behind the sentence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveTargets } from '../../../server/src/spec/index';
import { simulate } from '../../../server/src/sim/index';
import { simulationWarnings } from '../../../server/src/lsp/simulationWarnings';
import { networkOf } from '../examples/load';

const targets = (...names: string[]) => resolveTargets(names, []).targets;

test('every target reports findings with a code, a severity, its own name and numbers; notes are their messages then the preset notes', () => {
  const net = networkOf('mlp-small.net.yaml');
  const ts = targets('caterpillar-small', 'ntx', 'h100-sxm', 'gradpim', 'neurotrainer', 'imc-radix4');
  const r = simulate(net, ts);
  for (const t of r.targets) {
    assert.ok(t.findings.length > 0, t.name);
    for (const f of t.findings) {
      assert.equal(f.target, t.name);
      assert.match(f.code, /^[a-z0-9-]+(\.[a-z0-9-]+)?$/);
      assert.ok(['error', 'warning', 'info'].includes(f.severity));
      assert.equal(typeof f.numbers, 'object');
    }
    const preset = ts.find((x) => x.name === t.name)!.notes;
    assert.deepEqual(t.notes, [
      ...t.findings.filter((f) => !f.code.startsWith('workload.')).map((f) => f.message),
      ...preset,
      ...t.findings.filter((f) => f.code.startsWith('workload.')).map((f) => f.message),
    ]);
  }
});

test('a network that fits CATERPILLAR gives no "does not fit" warning, although the preset notes use those words', () => {
  const net = { ...networkOf('mlp-small.net.yaml'), targets: ['caterpillar-large'] };
  const [cat] = targets('caterpillar-large');
  assert.ok(
    cat.notes.some((n) => /does not fit/i.test(n)),
    'the preset caveat mentions "does not fit"',
  );
  const r = simulate(net, [cat]);
  assert.deepEqual(
    r.targets[0].findings.filter((f) => f.code.startsWith('memory.')).map((f) => f.code),
    ['memory.fits-on-chip'],
  );
  assert.deepEqual(simulationWarnings(net, r), []);
});

test('a network that overflows: the finding carries the numbers and becomes AM5803 on its targets: entry', () => {
  const net = { ...networkOf('mlp-large.net.yaml'), targets: ['caterpillar-small'] };
  const r = simulate(net, targets('caterpillar-small'));
  const f = r.targets[0].findings.find((x) => x.code === 'memory.weights-streamed')!;
  assert.ok(f, 'weights-streamed finding');
  assert.equal(f.severity, 'warning');
  assert.ok(f.numbers.wordsPerPe > f.numbers.capacityWords);
  assert.ok(f.message.includes(f.numbers.wordsPerPe.toFixed(0)));
  const d = simulationWarnings(net, r);
  assert.deepEqual(
    d.map((x) => [x.code, x.severity]),
    [['AM5803', 'warning']],
  );
  assert.equal(d[0].message, `caterpillar-small: ${f.message}`);
});

test('a batch too large for the GPU: the finding breaks the state down, names the largest batch that fits, and the editor offers it as a fix', () => {
  const base = networkOf('resnet50.net.yaml');
  const big = { ...base, batch: 4096, targets: ['h100-sxm'] };
  const r = simulate(big, targets('h100-sxm'));
  const g = r.targets[0].findings.find((x) => x.code === 'memory.exceeds-device')!;
  const n = g.numbers;
  assert.ok(n.needB > n.haveB && n.haveB === 80e9, JSON.stringify(n));
  assert.equal(n.needB, n.weightsB + n.gradientsB + n.optimizerB + n.savedB);
  assert.ok(n.gradientsB > 0 && n.optimizerB > 0);
  assert.match(
    g.message,
    /^The training state \([0-9.]+ GB: weights [0-9.]+, gradients [0-9.]+, optimizer state [0-9.]+, activations saved at batch 4096 [0-9.]+\) exceeds the device memory \(80\.00 GB\) by [0-9.]+ GB: the run would not fit \(not modelled\); batch_size (\d+) would fit\.$/,
  );
  assert.ok(g.message.endsWith(`batch_size ${n.fitsBatch} would fit.`));
  // The largest batch that fits: it fits, one more does not.
  const at = (b: number) =>
    simulate({ ...base, batch: b }, targets('h100-sxm')).targets[0].findings.some(
      (x) => x.code === 'memory.exceeds-device',
    );
  assert.equal(at(n.fitsBatch), false);
  assert.equal(at(n.fitsBatch + 1), true);
  // The editor's warning carries the quick fix on batch_size.
  const [d] = simulationWarnings(big, r);
  assert.equal(d.code, 'AM5803');
  assert.deepEqual(
    d.fixes!.map((f) => [f.title, f.edits[0].newText]),
    [[`Set batch_size to ${n.fitsBatch} (fits h100-sxm)`, String(n.fitsBatch)]],
  );
  assert.deepEqual(d.fixes![0].edits[0].range, big.ranges.keys['batch_size']);
});

test('weights that alone exceed the device: no batch fits, the finding says what would', () => {
  const net = { ...networkOf('mlp-large.net.yaml'), batch: 8 };
  const [cube] = targets('ntx');
  const tiny = { ...cube, params: { ...cube.params, 'memory.dram_size': 1e6 } };
  const f = simulate(net, [tiny]).targets[0].findings.find((x) => x.code === 'memory.exceeds-device')!;
  assert.equal(f.numbers.fitsBatch, 0);
  assert.match(
    f.message,
    /the weights, gradients and optimizer state alone do not fit: the model needs more devices \(tensor or pipeline parallelism\) or a sharded optimizer\.$/,
  );
  assert.deepEqual(simulationWarnings({ ...net, targets: [] }, simulate(net, [tiny]))[0].fixes, undefined);
});

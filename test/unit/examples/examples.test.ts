// Every bundled example analyses without errors; the hardware example's targets and every network's `targets:`
// resolve; and the non-CNN examples have the sizes their sources give (the CNNs are checked against PyTorch in
// layer-tables.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { resolveTargets } from '../../../server/src/spec/index';
import type { NetworkModel } from '../../../server/src/spec/index';
import { KINDS } from '../../../server/src/kinds/params';
import { EXAMPLES, analyzeExample, exampleFiles, fmt, networkOf, expectedMacs } from './load';

const HW = 'all-presets.hw.yaml';
const NETWORKS = exampleFiles().filter((f) => /\.net\./.test(f));

test('the examples folder holds the documented set', () => {
  assert.deepEqual(exampleFiles(), [
    'alexnet.net.yaml',
    'all-presets.hw.yaml',
    'bert-base.net.yaml',
    'lenet5.net.json',
    'lstm-lm.net.yaml',
    'mlp-large.net.yaml',
    'mlp-small.net.yaml',
    'mobilenet_v2.net.yaml',
    'resnet18.net.yaml',
    'resnet50.net.yaml',
    'vgg16.net.yaml',
  ]);
});

for (const file of exampleFiles()) {
  test(`${file} analyses with zero errors and zero warnings`, () => {
    const doc = analyzeExample(file);
    const problems = doc.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
    assert.deepEqual(
      problems.map((d) => fmt(file, d)),
      [],
    );
    assert.equal(doc.kind, file.includes('.hw.') ? 'hardware' : 'network');
  });
}

test(`${HW}: one target per built-in preset, and every target resolves`, () => {
  const doc = analyzeExample(HW);
  assert.ok(doc.hardware, 'a hardware model');
  const presets = KINDS.flatMap((k) => k.presets.map((p) => p.name)).sort();
  const stock = doc.hardware.targets
    .filter((t) => t.name.endsWith('-stock'))
    .map((t) => t.extendsChain.at(-1))
    .sort();
  assert.deepEqual(
    stock,
    presets,
    'the <preset>-stock targets cover exactly the presets: add `- {name: <preset>-stock, extends: <preset>}` to examples/all-presets.hw.yaml for a new preset',
  );
  const names = doc.hardware.targets.map((t) => t.name);
  const r = resolveTargets(names, [doc]);
  assert.deepEqual(
    r.diagnostics.map((d) => fmt(HW, d)),
    [],
  );
  assert.deepEqual(
    r.targets.map((t) => t.name),
    names,
  );
});

for (const file of NETWORKS) {
  test(`${file}: names targets and hardware files, and every target resolves`, () => {
    const net = networkOf(file);
    assert.deepEqual(net.hardwareFiles, [`./${HW}`]);
    assert.ok(net.targets.length >= 2, 'at least two targets');
    const r = resolveTargets(net.targets, [analyzeExample(HW)]);
    assert.deepEqual(
      r.diagnostics.map((d) => fmt(file, d)),
      [],
    );
    assert.deepEqual(
      r.targets.map((t) => t.name),
      net.targets,
    );
  });

  test(
    `${file}: header comment says what it is and its batch size`,
    { skip: file.endsWith('.json') && 'JSON has no comments' },
    () => {
      const text = readFileSync(join(EXAMPLES, file), 'utf8');
      const header = text
        .split('\n')
        .filter((l) => l.startsWith('#'))
        .join('\n');
      assert.match(text, /^#/, 'starts with a comment');
      assert.match(header, new RegExp(`[Bb]atch ${String(parse(text).batch_size)}\\b`), 'header states the batch size');
    },
  );
}

const sum = (net: NetworkModel, f: (l: NetworkModel['layers'][number]) => number) =>
  net.layers.reduce((s, l) => s + f(l), 0);

test('bert-base: BERT-base encoder size and settings', () => {
  const net = networkOf('bert-base.net.yaml');
  assert.equal(net.batch, 32);
  assert.equal(net.precision, 'bf16');
  assert.equal(net.optimizer.type, 'adamw');
  assert.deepEqual(net.inputShape, [128]);
  // Hugging Face bert-base-uncased has 109,482,240 parameters; ours leaves out the token-type embedding
  // (2 x 768) and the pooler (768 x 768 + 768): 109,482,240 - 1,536 - 590,592 = 108,890,112.
  assert.equal(
    sum(net, (l) => l.params),
    108_890_112,
  );
  const count = (t: string) => net.layers.filter((l) => l.type === t).length;
  assert.equal(count('layernorm'), 1 + 12 * 2);
  assert.equal(count('matmul'), 12 * 2);
  assert.equal(count('softmax'), 12);
  assert.equal(count('gelu'), 12);
  assert.equal(count('linear'), 12 * 6);
  // Attention scores per layer: 12 heads x [128 x 64] x [64 x 128] per sample.
  const scores = net.layers.find((l) => l.name === 'layer0.attn.scores')!;
  assert.deepEqual(scores.outShape, [12, 128, 128]);
  assert.equal(scores.macs, 32 * 12 * 128 * 128 * 64);
  // Linear MACs: per token 4 x 768^2 (Q, K, V, output) + 2 x 768 x 3072 (FFN), 12 layers, 32 x 128 tokens.
  const linear = sum(net, (l) => (l.type === 'linear' ? l.macs : 0));
  assert.equal(linear, 32 * 128 * 12 * (4 * 768 * 768 + 2 * 768 * 3072));
  assert.deepEqual(net.layers.at(-1)!.outShape, [128, 768]);
});

test('resnet18: torchvision ResNet-18 size, mixed precision for GradPIM', () => {
  const net = networkOf('resnet18.net.yaml');
  assert.equal(net.precision, 'fp16');
  assert.equal(net.masterWeights, 'fp32');
  assert.equal(net.optimizer.type, 'momentum');
  // torchvision resnet18: 11,689,512 parameters; 1,814,073,344 forward MACs per 224x224 sample (conv + fc).
  assert.equal(
    sum(net, (l) => l.params),
    11_689_512,
  );
  assert.equal(
    sum(net, (l) => (l.type === 'conv2d' || l.type === 'linear' ? l.macs : 0)),
    32 * 1_814_073_344,
  );
  assert.equal(net.layers.filter((l) => l.type === 'conv2d').length, 20);
  assert.equal(net.layers.filter((l) => l.type === 'add').length, 8);
  assert.deepEqual(net.layers.at(-1)!.outShape, [1000]);
});

test('lenet5 (JSON): LeNet-5 size', () => {
  const net = networkOf('lenet5.net.json');
  assert.deepEqual(net.inputShape, [1, 28, 28]);
  // The usual modern LeNet-5 (after LeCun et al. 1998; C1 6@5x5 on a zero-padded 28x28, C3 16@5x5 fully
  // connected to S2, 120-84-10 linear, ReLU and max pooling): 61,706 parameters;
  // forward MACs per sample 6*25*28*28 + 16*6*25*10*10 + 400*120 + 120*84 + 84*10 = 416,520.
  assert.equal(
    sum(net, (l) => l.params),
    61_706,
  );
  assert.equal(
    sum(net, (l) => l.macs),
    64 * 416_520,
  );
  assert.deepEqual(net.layers.find((l) => l.name === 'pool2')!.outShape, [16, 5, 5]);
});

test('lstm-lm: the measured H100 LSTM shape', () => {
  const net = networkOf('lstm-lm.net.yaml');
  const lstm = net.layers.find((l) => l.type === 'lstm')!;
  assert.deepEqual(lstm.inShapes[0], [50, 1024]);
  assert.deepEqual(lstm.outShape, [50, 1024]);
  // shared/data/gpu-h100/measured.json, kind lstm B 64 T 50 I 1024 H 1024 L 2: macs 53,687,091,200
  // = B * T * L * 4H * (I + H).
  assert.equal(lstm.macs, 53_687_091_200);
  const decoder = net.layers.find((l) => l.name === 'decoder')!;
  assert.equal(decoder.macs, 64 * 50 * 1024 * 10000);
  assert.deepEqual(net.layers.at(-1)!.outShape, [50, 10000]);
});

test('mlp-small and mlp-large: CATERPILLAR MLP sizes', () => {
  for (const [file, widths] of [
    ['mlp-small.net.yaml', [784, 500, 500, 500, 10]],
    ['mlp-large.net.yaml', [784, 2500, 2000, 1500, 1000, 500, 10]],
  ] as const) {
    const net = networkOf(file);
    assert.equal(net.optimizer.type, 'sgd');
    assert.deepEqual(net.inputShape, [784]);
    const fcs = net.layers.filter((l) => l.type === 'linear');
    assert.deepEqual(
      fcs.map((l) => l.outShape[0]),
      widths.slice(1),
    );
    let params = 0;
    for (let i = 1; i < widths.length; i++) params += widths[i - 1] * widths[i] + widths[i];
    assert.equal(
      sum(net, (l) => l.params),
      params,
      `${file} parameters`,
    );
    assert.equal(
      sum(net, (l) => l.macs),
      net.batch * (params - widths.slice(1).reduce((a, b) => a + b, 0)),
      `${file} MACs`,
    );
    for (const l of fcs) assert.equal(l.macs, expectedMacs(l, net.batch));
    // ReLU between linear layers, none after the last.
    assert.deepEqual(
      net.layers.map((l) => l.type),
      fcs.flatMap((_, i) => (i < fcs.length - 1 ? ['linear', 'relu'] : ['linear'])),
    );
  }
});

test('generated examples are up to date with scripts/gen-examples.ts', async () => {
  const { generatedExamples } = await import('../../../scripts/gen-examples');
  const gen = generatedExamples();
  assert.deepEqual(gen.map((g) => g.file).sort(), [
    'bert-base.net.yaml',
    'mobilenet_v2.net.yaml',
    'resnet18.net.yaml',
    'resnet50.net.yaml',
    'vgg16.net.yaml',
  ]);
  for (const { file, text } of gen) {
    assert.equal(
      readFileSync(join(EXAMPLES, file), 'utf8'),
      text,
      `${file}: run node --import tsx scripts/gen-examples.ts`,
    );
  }
});

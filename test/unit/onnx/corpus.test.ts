// The ONNX corpus in test/corpus/onnx/ (built by scripts/export-onnx-corpus.py with Debian's PyTorch): torchvision's
// classification families, a GPT-2-small decoder, a BERT-base encoder, an LSTM language model, a UNet and an
// encoder-decoder transformer, each in two opsets, with weights (external data) and without, some in training
// mode and some rewritten to opset 21. Every file must import without warnings, give a spec the spec core accepts,
// have no `unsupported` layer, and count the forward MACs PyTorch counted (manifest.json, macs_dispatch) within 1%,
// at its exported batch and at another one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOnnxFileSync, type ImportOptions } from '../../../server/src/onnx/index';
import { analyze } from '../../../server/src/spec/index';
import type { NetworkModel } from '../../../server/src/spec/types';

const DIR = join(__dirname, '..', '..', 'corpus', 'onnx');
interface FileInfo {
  file: string;
  opset: number;
  weights: 'none' | 'external';
  mode: 'eval' | 'train';
  dynamic: boolean;
  upgraded?: boolean;
}
interface NetInfo {
  batch: number;
  inputs: Record<string, number[]>;
  params: number;
  macs_hooks: number;
  macs_dispatch: number;
  files: FileInfo[];
}
const manifest: { networks: Record<string, NetInfo> } = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8'));

/** Options a user passes: the sequence length of the symbolic exports, the batch axis of the seq-first one. */
function optionsFor(net: string, f: FileInfo, batch: number): ImportOptions {
  const o: ImportOptions = { batch, dims: { seq: 128 } };
  if (net === 'transformer_seq2seq' && !f.dynamic) o.batchAxis = 1;
  return o;
}

function load(net: string, f: FileInfo, batch: number): { network: NetworkModel; warnings: string[]; yaml: string } {
  const r = importOnnxFileSync(join(DIR, f.file), optionsFor(net, f, batch));
  const doc = analyze(`file:///${f.file}.net.yaml`, r.yaml);
  const errors = doc.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.range.start.line + 1}: ${d.message}`);
  assert.deepEqual(errors, [], `${f.file}: the imported spec has errors`);
  return { network: doc.network!, warnings: r.warnings, yaml: r.yaml };
}
const macsOf = (n: NetworkModel) => n.layers.reduce((a, l) => a + l.macs, 0);
const types = (n: NetworkModel) => new Set(n.layers.map((l) => l.type));

test('the corpus covers the networks, opsets and variants it promises', () => {
  const nets = Object.keys(manifest.networks).sort();
  assert.deepEqual(nets, [
    'bert_base',
    'convnext_tiny',
    'densenet121',
    'efficientnet_b0',
    'googlenet',
    'gpt2_small',
    'inception_v3',
    'lstm_lm',
    'mobilenet_v3_small',
    'regnet_y_400mf',
    'resnet18',
    'shufflenet_v2_x1_0',
    'squeezenet1_1',
    'swin_t',
    'transformer_seq2seq',
    'unet',
    'vit_b_16',
    'wide_resnet50_2',
  ]);
  for (const [net, m] of Object.entries(manifest.networks)) {
    const opsets = new Set(m.files.map((f) => f.opset));
    assert.ok(opsets.size >= 2, `${net}: at least two opsets`);
    assert.ok(
      m.files.some((f) => f.weights === 'none') && m.files.some((f) => f.weights === 'external'),
      `${net}: with and without weights`,
    );
    for (const f of m.files) assert.ok(existsSync(join(DIR, f.file)), f.file);
    // The external-data variants ship without their .data file: the importer must never need it.
    for (const f of m.files.filter((x) => x.weights === 'external'))
      assert.ok(!existsSync(join(DIR, f.file.replace(/\.onnx$/, '.data'))));
  }
  const all = Object.values(manifest.networks).flatMap((m) => m.files);
  assert.ok(all.some((f) => f.mode === 'train') && all.some((f) => f.opset === 21) && all.some((f) => f.dynamic));
});

for (const [net, m] of Object.entries(manifest.networks)) {
  for (const f of m.files) {
    test(`${f.file}: imports without warnings, checks, no unsupported layer, MACs within 1% of PyTorch's`, () => {
      const { network, warnings } = load(net, f, m.batch);
      assert.deepEqual(warnings, []);
      assert.equal(network.batch, m.batch);
      assert.deepEqual(
        network.layers.filter((l) => l.type === 'unsupported').map((l) => l.name),
        [],
      );
      const macs = macsOf(network);
      assert.ok(
        Math.abs(macs / m.macs_dispatch - 1) <= 0.01,
        `${f.file}: ${macs} MACs, PyTorch counted ${m.macs_dispatch}`,
      );
      if (f.mode === 'train')
        assert.ok(
          types(network).has('dropout') || types(network).has('batchnorm'),
          `${f.file}: training mode keeps dropout/batch norm`,
        );
    });
  }
  test(`${net}: imported at another batch (3), the MACs scale with it`, () => {
    const f = m.files.find((x) => x.weights === 'none' && !x.dynamic && x.mode === 'eval')!;
    const { network } = load(net, f, 3);
    assert.equal(network.batch, 3);
    const want = (m.macs_dispatch / m.batch) * 3;
    assert.ok(
      Math.abs(macsOf(network) / want - 1) <= 0.01,
      `${f.file} at batch 3: ${macsOf(network)} MACs, expected ${want}`,
    );
  });
}

test('the operators of each family map to the layer types that cost them', () => {
  const has = (net: string, file: string, want: string[]) => {
    const m = manifest.networks[net];
    const f = m.files.find((x) => x.file === file)!;
    const t = types(load(net, f, m.batch).network);
    for (const w of want) assert.ok(t.has(w as never), `${file}: no ${w} layer (has ${[...t].join(', ')})`);
  };
  has('gpt2_small', 'gpt2_small.op17.onnx', [
    'embedding',
    'layernorm',
    'linear',
    'matmul',
    'softmax',
    'gelu',
    'slice',
    'elementwise',
  ]);
  has('gpt2_small', 'gpt2_small.op21.onnx', ['gelu']);
  // The tanh-GELU (x * x * x ... tanh) is one gelu layer per block, not a chain of element-wise layers (ASM-9).
  const gpt = load('gpt2_small', manifest.networks.gpt2_small.files[0], 1).network;
  assert.equal(gpt.layers.filter((l) => l.type === 'gelu').length, 12);
  assert.equal(gpt.layers.filter((l) => l.type === 'tanh').length, 0);
  has('bert_base', 'bert_base.op13.onnx', ['input', 'embedding', 'elementwise', 'softmax', 'layernorm', 'gelu']);
  has('unet', 'unet.op13.onnx', ['conv_transpose2d', 'groupnorm', 'resize', 'pad', 'slice', 'concat']);
  has('unet', 'unet.op17-train.onnx', ['batchnorm', 'groupnorm']); // eval exports fold batch norm into the convs
  has('swin_t', 'swin_t.op13.onnx', ['slice', 'layernorm', 'matmul', 'softmax', 'add']);
  has('lstm_lm', 'lstm_lm.op13.onnx', ['embedding', 'lstm', 'linear']);
  has('transformer_seq2seq', 'transformer_seq2seq.op14.onnx', ['input', 'embedding', 'matmul', 'softmax', 'layernorm']);
  has('vit_b_16', 'vit_b_16.op13.onnx', ['conv2d', 'pad', 'slice', 'matmul', 'gelu']);
  has('efficientnet_b0', 'efficientnet_b0.op13.onnx', ['silu', 'global_avgpool', 'mul']);
  has('mobilenet_v3_small', 'mobilenet_v3_small.op13.onnx', ['hardswish']);
});

test('GPT-2 exported without weights: the int64 token input is the data input (not a weight), every parameter a graph input', () => {
  const m = manifest.networks.gpt2_small;
  const { network, yaml } = load(
    'gpt2_small',
    m.files.find((f) => f.file === 'gpt2_small.op13.onnx')!,
    1,
  );
  assert.deepEqual(network.inputShape, [128]);
  assert.equal(network.layers[0].type, 'embedding');
  assert.match(yaml, /^input_shape: \[128\]$/m);
  // Tied LM head: the output projection reads the token table [50257, 768].
  assert.ok(network.layers.some((l) => l.type === 'linear' && l.attrs.outFeatures === 50257));
});

test('a symbolic sequence length needs --dim, and the message lists the names', () => {
  const f = manifest.networks.gpt2_small.files.find((x) => x.dynamic)!;
  assert.throws(
    () => importOnnxFileSync(join(DIR, f.file), { batch: 2 }),
    /graph input 'input_ids' has a symbolic dimension 'seq' at axis 1; pass --dim seq=N \(symbolic dimensions of this graph's inputs: batch, seq; still missing: seq\)/,
  );
  const r = importOnnxFileSync(join(DIR, f.file), { dims: { batch: 2, seq: 64 } });
  assert.equal(r.graph.batch, 2);
  assert.deepEqual(r.graph.inputShape, [2, 64]);
});

test('--input overrides the choice of data input; an unknown name lists the candidates', () => {
  const f = manifest.networks.bert_base.files.find((x) => x.file === 'bert_base.op13.onnx')!;
  const r = importOnnxFileSync(join(DIR, f.file), { input: 'attention_mask' });
  assert.equal(r.graph.layers[0].type, 'input'); // input_ids becomes the further input
  assert.throws(
    () => importOnnxFileSync(join(DIR, f.file), { input: 'ids' }),
    /--input 'ids' is not a graph input of this model \(its inputs without initializers: 'input_ids', 'attention_mask', /,
  );
});

test('precision and optimizer given at import are written into the spec', () => {
  const f = manifest.networks.resnet18.files.find((x) => x.file === 'resnet18.op13.onnx')!;
  const r = importOnnxFileSync(join(DIR, f.file), {
    precision: 'bf16',
    optimizer: { type: 'adamw', lr: 0.001, weight_decay: 0.05 },
  });
  assert.match(r.yaml, /^precision: bf16$/m);
  assert.match(r.yaml, /^optimizer: \{type: adamw, lr: 0\.001, weight_decay: 0\.05\}$/m);
  const doc = analyze('file:///r.net.yaml', r.yaml);
  assert.equal(doc.network!.precision, 'bf16');
  assert.equal(doc.network!.masterWeights, 'fp32');
  assert.deepEqual(
    [doc.network!.optimizer.type, doc.network!.optimizer.lr, doc.network!.optimizer.weightDecay],
    ['adamw', 0.001, 0.05],
  );
});

test('a seq-first token input ([T, N]) at its batch without --batch-axis: when axis 0 gives no consistent shapes, axis 1 is taken, and said', () => {
  const f = manifest.networks.transformer_seq2seq.files.find((x) => !x.dynamic && x.weights === 'none')!;
  const r = importOnnxFileSync(join(DIR, f.file), { batch: 2 });
  assert.equal(r.graph.batch, 2);
  assert.equal(r.graph.inputBatchAxis, 1);
  assert.ok(r.warnings.some((w) => /read as seq-first \(\[T, N\]: the batch on axis 1\)/.test(w)));
  const doc = analyze('file:///s.net.yaml', r.yaml);
  assert.deepEqual(
    doc.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  assert.ok(Math.abs(macsOf(doc.network!) / manifest.networks.transformer_seq2seq.macs_dispatch - 1) <= 0.01);
});

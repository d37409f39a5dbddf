// Shapes, parameter counts and MACs against PyTorch's own figures (test/fixtures/onnx/layer-tables.json:
// forward hooks on torchvision models). Every conv/linear/pool/norm layer of alexnet, vgg16, resnet50 and
// mobilenet_v2 is checked as a one-layer network; alexnet and vgg16 are also checked end to end, and ResNet-50
// through its residual wiring.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyze } from '../../../server/src/spec/index';
import { resnet50Yaml } from './fixtures';
import { SHARED_ONNX } from '../../shared-data';
import { join } from 'node:path';

interface Row {
  name: string;
  type: string;
  in: number[];
  out: number[];
  C?: number;
  K?: number;
  R?: number;
  S?: number;
  stride?: number[];
  pad?: number[];
  groups?: number;
  dilation?: number[];
  bias?: boolean;
  inF?: number;
  outF?: number;
  kernel?: number[];
}
const tables = JSON.parse(readFileSync(join(SHARED_ONNX, 'layer-tables.json'), 'utf8')) as Record<
  string,
  { batch: number; input: number[]; layers: Row[] }
>;

/** The spec layer for a table row (YAML flow mapping), or undefined for types without a spec counterpart. */
function specLayer(r: Row): string | undefined {
  switch (r.type) {
    case 'Conv2d':
      return `{type: conv2d, out_channels: ${r.K}, kernel_size: [${r.R}, ${r.S}], stride: [${r.stride}], padding: [${r.pad}], dilation: [${r.dilation}], groups: ${r.groups}, bias: ${r.bias}}`;
    case 'Linear':
      return `{type: linear, out_features: ${r.outF}, bias: ${r.bias}}`;
    case 'MaxPool2d':
      // The table omits pool padding: torchvision's resnet50 stem pools with padding 1, alexnet/vgg16 with 0.
      return `{type: maxpool, kernel_size: [${r.kernel}], stride: [${r.stride}], padding: ${r.pad ? `[${r.pad}]` : r.in[2] === 112 && r.kernel![0] === 3 ? 1 : 0}}`;
    case 'AdaptiveAvgPool2d':
      return `{type: adaptive_avgpool, output_size: [${r.out.slice(2)}]}`;
    case 'BatchNorm2d':
      return '{type: batchnorm}';
    case 'ReLU':
      return '{type: relu}';
    case 'ReLU6':
      return '{type: relu6}';
    case 'Dropout':
      return '{type: dropout}';
    default:
      return undefined;
  }
}

/** PyTorch's definitions, from the table's own fields. */
function expected(r: Row, N: number): { params: number; macs: number } {
  if (r.type === 'Conv2d') {
    const [, K, P, Q] = r.out;
    const cg = r.C! / r.groups!;
    return { params: r.K! * cg * r.R! * r.S! + (r.bias ? r.K! : 0), macs: N * K * P * Q * cg * r.R! * r.S! };
  }
  if (r.type === 'Linear') return { params: r.inF! * r.outF! + (r.bias ? r.outF! : 0), macs: N * r.inF! * r.outF! };
  if (r.type === 'BatchNorm2d') return { params: 2 * r.in[1], macs: 0 };
  return { params: 0, macs: 0 };
}

for (const [net, t] of Object.entries(tables)) {
  test(`${net}: every layer's output shape, params and MACs match PyTorch (one-layer networks)`, () => {
    let checked = 0;
    for (const r of t.layers) {
      const layer = specLayer(r);
      if (!layer) continue;
      const text = `kind: network\nbatch_size: ${t.batch}\ninput_shape: [${r.in.slice(1)}]\nlayers:\n  - ${layer}\n`;
      const doc = analyze(`file:///${net}.net.yaml`, text);
      assert.deepEqual(doc.diagnostics, [], `${net} ${r.name}: ${text}`);
      const l = doc.network!.layers[0];
      assert.deepEqual(l.outShape, r.out.slice(1), `${net} ${r.name} shape`);
      const e = expected(r, t.batch);
      assert.equal(l.params, e.params, `${net} ${r.name} params`);
      assert.equal(l.macs, e.macs, `${net} ${r.name} MACs`);
      checked++;
    }
    assert.ok(checked >= 18, `${net}: only ${checked} layers checked`);
  });
}

for (const net of ['alexnet', 'vgg16']) {
  test(`${net}: the whole sequential network infers PyTorch's shapes (flatten before the classifier)`, () => {
    const t = tables[net];
    const lines = [`kind: network`, `batch_size: ${t.batch}`, `input_shape: [${t.input.slice(1)}]`, 'layers:'];
    let prevRank = 4;
    for (const r of t.layers) {
      if (r.in.length === 2 && prevRank === 4) lines.push('  - {type: flatten}');
      prevRank = r.out.length;
      lines.push(`  - ${specLayer(r)}`);
    }
    const doc = analyze(`file:///${net}.net.yaml`, lines.join('\n'));
    assert.deepEqual(doc.diagnostics, []);
    const layers = doc.network!.layers.filter((l) => l.type !== 'flatten');
    assert.equal(layers.length, t.layers.length);
    layers.forEach((l, i) =>
      assert.deepEqual(l.outShape, t.layers[i].out.slice(1), `${net} layer ${i} ${t.layers[i].name}`),
    );
    const macs = layers.reduce((s, l) => s + l.macs, 0);
    const want = t.layers.reduce((s, r) => s + expected(r, t.batch).macs, 0);
    assert.equal(macs, want);
  });
}

test("resnet50: residual wiring gives every conv PyTorch's shapes; totals 25,557,032 params and 4.09 GMACs/sample", () => {
  const t = tables.resnet50;
  const doc = analyze('file:///resnet50.net.yaml', resnet50Yaml(t.batch));
  assert.deepEqual(doc.diagnostics, []);
  const ours = doc.network!.layers.filter((l) => l.type === 'conv2d' || l.type === 'linear');
  const theirs = t.layers.filter((r) => r.type === 'Conv2d' || r.type === 'Linear');
  assert.equal(ours.length, theirs.length);
  ours.forEach((l, i) => {
    assert.equal(l.name, theirs[i].name === 'fc' ? 'fc' : theirs[i].name, `order at ${i}`);
    assert.deepEqual(l.outShape, theirs[i].out.slice(1), theirs[i].name);
    assert.equal(l.macs, expected(theirs[i], t.batch).macs, theirs[i].name);
  });
  const params = doc.network!.layers.reduce((s, l) => s + l.params, 0);
  assert.equal(params, 25_557_032); // torchvision resnet50: sum(p.numel() for p in model.parameters())
  const macs = doc.network!.layers.reduce((s, l) => s + l.macs, 0) / t.batch;
  assert.equal(macs, 4_089_184_256); // conv + fc MACs per sample (the usual "4.1 GMACs")
});

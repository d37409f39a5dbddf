// The real torchvision graphs in test/fixtures/onnx/ against the PyTorch ground truth in layer-tables.json:
// layer counts per type, every conv/linear shape, total MACs (at the table's batch, set with `batch`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOnnxFileSync, type ImportedLayer } from '../../../server/src/onnx/index';
import { SHARED_ONNX } from '../../shared-data';

const DIR = SHARED_ONNX;
interface TLayer {
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
  inF?: number;
  outF?: number;
  bias?: boolean;
}
const tables: Record<string, { batch: number; input: number[]; layers: TLayer[] }> = JSON.parse(
  readFileSync(join(DIR, 'layer-tables.json'), 'utf8'),
);

/** Forward MACs of the whole batch: conv N*K*P*Q*(C/g)*R*S, linear N*in*out (rows = all leading dims). */
function importedMacs(L: ImportedLayer): number {
  if (L.type === 'conv2d') {
    const [n, k, p, q] = L.outShape;
    const [kk, cg, r, s] = L.weightShape!;
    assert.equal(kk, k);
    return n * k * p * q * cg * r * s;
  }
  if (L.type === 'linear') {
    const rows = L.outShape.slice(0, -1).reduce((a, b) => a * b, 1);
    return rows * L.weightShape![0] * L.weightShape![1];
  }
  return 0;
}
function tableMacs(t: TLayer): number {
  if (t.type === 'Conv2d') return t.out.reduce((a, b) => a * b, 1) * (t.C! / t.groups!) * t.R! * t.S!;
  if (t.type === 'Linear') return t.out.slice(0, -1).reduce((a, b) => a * b, 1) * t.inF! * t.outF!;
  return 0;
}

const TYPE: Record<string, string[]> = {
  Conv2d: ['conv2d'],
  Linear: ['linear'],
  BatchNorm2d: ['batchnorm'],
  ReLU: ['relu'],
  ReLU6: ['relu6'],
  MaxPool2d: ['maxpool'],
  Dropout: ['dropout'],
  AdaptiveAvgPool2d: ['avgpool', 'global_avgpool', 'adaptive_avgpool'],
};
const count = (ls: { type: string }[], types: string[]) => ls.filter((l) => types.includes(l.type)).length;
const key = (l: ImportedLayer) => (k: string) => l.keys.find((x) => x[0] === k)?.[1];

for (const net of Object.keys(tables)) {
  for (const variant of ['', '-train']) {
    const file = `${net}${variant}.onnx`;
    test(`${file} at batch ${tables[net].batch} matches layer-tables.json`, () => {
      const t = tables[net];
      const r = importOnnxFileSync(join(DIR, file), { batch: t.batch });
      assert.deepEqual(r.warnings, []);
      assert.equal(r.graph.batch, t.batch);
      assert.deepEqual(r.graph.inputShape, t.input);
      const L = r.graph.layers;
      // Layer counts per type. Eval exports fold batch norm into the convs and drop dropout.
      for (const [pt, ours] of Object.entries(TYPE)) {
        const expected = count(t.layers, [pt]);
        if (!variant && (pt === 'BatchNorm2d' || pt === 'Dropout')) {
          assert.equal(count(L, ours), 0, `${pt} in an eval export`);
          continue;
        }
        // MobileNet-V2 pools with a functional adaptive_avg_pool2d (no module in the table) -> one global_avgpool.
        const extra = pt === 'AdaptiveAvgPool2d' && net === 'mobilenet_v2' ? 1 : 0;
        assert.equal(count(L, ours), expected + extra, `${file}: count of ${pt}`);
      }
      // Every conv and linear, in order, with its shapes.
      const tc = t.layers.filter((x) => x.type === 'Conv2d' || x.type === 'Linear');
      const ic = L.filter((x) => x.type === 'conv2d' || x.type === 'linear');
      assert.equal(ic.length, tc.length);
      tc.forEach((tl, i) => {
        const il = ic[i];
        assert.equal(il.name, tl.name, 'layer names follow the PyTorch module names');
        assert.deepEqual(il.outShape, tl.out, `${tl.name} output shape`);
        assert.deepEqual(il.inShapes[0], tl.in, `${tl.name} input shape`);
        if (tl.type === 'Conv2d') {
          const k = key(il);
          assert.equal(k('out_channels'), tl.K);
          assert.equal(
            il.weightShape![1] * ((k('groups') as number) ?? 1),
            tl.C,
            `${tl.name} in_channels from the weight dims`,
          );
          assert.equal((k('groups') as number | undefined) ?? 1, tl.groups);
          assert.deepEqual([il.weightShape![2], il.weightShape![3]], [tl.R, tl.S]);
          const st = k('stride') ?? 1,
            pd = k('padding') ?? 0;
          assert.deepEqual(Array.isArray(st) ? st : [st, st], tl.stride);
          assert.deepEqual(Array.isArray(pd) ? pd : [pd, pd], tl.pad);
        } else {
          assert.deepEqual(il.weightShape, [tl.outF, tl.inF]);
          assert.equal(key(il)('bias'), tl.bias);
        }
      });
      const macs = L.reduce((a, l) => a + importedMacs(l), 0);
      const expected = t.layers.reduce((a, l) => a + tableMacs(l), 0);
      assert.equal(macs, expected, `${file}: total MACs`);
      if (variant) {
        // Batch norm layers of the training export sit where the table has them (after the same conv).
        const tb = t.layers.filter((x) => x.type === 'BatchNorm2d');
        const ib = L.filter((x) => x.type === 'batchnorm');
        tb.forEach((tl, i) => {
          assert.equal(ib[i].name, tl.name);
          assert.deepEqual(ib[i].outShape, tl.out);
        });
      }
    });
  }
}

test('importing without a batch keeps the exported batch (1 for eval exports, 2 for training exports)', () => {
  assert.equal(importOnnxFileSync(join(DIR, 'resnet50.onnx')).graph.batch, 1);
  assert.equal(importOnnxFileSync(join(DIR, 'resnet50-train.onnx')).graph.batch, 2);
});

test('ResNet-50 import wires the residual adds through inputs: and names them after their block', () => {
  const r = importOnnxFileSync(join(DIR, 'resnet50-train.onnx'), { batch: 32 });
  const add = r.graph.layers.find((l) => l.name === 'layer1.0.add')!;
  assert.deepEqual(add.inputs, ['layer1.0.bn3', 'layer1.0.downsample.1']);
  assert.match(
    r.yaml,
    /- \{name: layer1\.0\.add, type: add, inputs: \[layer1\.0\.bn3, layer1\.0\.downsample\.1\], output_shape: \[256, 56, 56\], origin: \/layer1\/layer1\.0\/Add\}/,
  );
  assert.match(r.yaml, /^batch_size: 32$/m);
  assert.match(r.yaml, /^input_shape: \[3, 224, 224\]$/m);
  assert.ok(r.reads <= 3, `whole model read in ${r.reads} positional reads`);
});

// The four CNN examples against the ground truth of PyTorch itself: fixtures/layer-tables.json lists every leaf
// module of torchvision's networks as they ran (forward hooks), with shapes and conv/linear parameters.
// Compared: the batch and input, the layer count per type, every conv/linear layer (in/out shapes, kernel, stride,
// padding, groups, dilation, bias, parameter count, MACs), every other table layer's output shape in order, and the
// total forward MACs. Functional ops that are not modules in PyTorch (flatten, residual add, MobileNet-V2's global
// pooling) are extra layers in our specs and are not counted against the table.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LayerModel, LayerType } from '../../../server/src/spec/index';
import { networkOf, expectedMacs } from './load';
import { SHARED_ONNX } from '../../shared-data';

interface TableLayer {
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
interface Table {
  batch: number;
  input: number[];
  layers: TableLayer[];
}

const FIXTURE = join(SHARED_ONNX, 'layer-tables.json');
const TABLES = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, Table>;

/** PyTorch module type -> our layer type. Anything not listed here is not counted against the table. */
const TYPE_MAP: Record<string, LayerType> = {
  Conv2d: 'conv2d',
  Linear: 'linear',
  ReLU: 'relu',
  ReLU6: 'relu6',
  MaxPool2d: 'maxpool',
  AdaptiveAvgPool2d: 'adaptive_avgpool',
  BatchNorm2d: 'batchnorm',
  Dropout: 'dropout',
};
const MAPPED = new Set<string>(Object.values(TYPE_MAP));

const CASES: [string, string][] = [
  ['alexnet', 'alexnet.net.yaml'],
  ['vgg16', 'vgg16.net.yaml'],
  ['resnet50', 'resnet50.net.yaml'],
  ['mobilenet_v2', 'mobilenet_v2.net.yaml'],
];

/** Total forward MACs of a table: the same formula as expectedMacs(), from the table's own fields. */
function tableMacs(t: Table): number {
  let sum = 0;
  for (const l of t.layers) {
    if (l.type === 'Conv2d') sum += l.out.reduce((a, b) => a * b, 1) * (l.C! / l.groups!) * l.R! * l.S!;
    if (l.type === 'Linear') sum += l.out.slice(0, -1).reduce((a, b) => a * b, 1) * l.inF! * l.outF!;
  }
  return sum;
}

function countBy<T>(xs: T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

test('table MAC totals (the reference numbers, computed from the table itself)', () => {
  // Written down so a change of the fixture or of the formula shows up here first.
  assert.equal(tableMacs(TABLES.alexnet), 91_416_125_440);
  assert.equal(tableMacs(TABLES.vgg16), 495_048_458_240);
  assert.equal(tableMacs(TABLES.resnet50), 130_853_896_192);
  assert.equal(tableMacs(TABLES.mobilenet_v2), 19_249_553_408);
});

for (const [key, file] of CASES) {
  describe(`${file} matches torchvision's ${key}`, () => {
    const table = TABLES[key];
    const net = networkOf(file);
    const ours = net.layers.filter((l) => MAPPED.has(l.type));
    const theirs = table.layers;

    test('batch size and input shape', () => {
      assert.equal(net.batch, table.batch);
      assert.deepEqual(net.inputShape, table.input.slice(1));
    });

    test('layer count per type', () => {
      const want = countBy(theirs, (l) => TYPE_MAP[l.type] ?? `unmapped:${l.type}`);
      assert.deepEqual(
        countBy(ours, (l) => l.type),
        want,
      );
    });

    test('every table layer, in order: type and output shape', () => {
      assert.equal(ours.length, theirs.length);
      theirs.forEach((t, i) => {
        const l = ours[i];
        assert.equal(l.type, TYPE_MAP[t.type], `#${i} ${t.name}: type`);
        assert.deepEqual(l.outShape, t.out.slice(1), `#${i} ${t.name} (ours ${l.name}): output shape`);
        assert.deepEqual(l.inShapes[0], t.in.slice(1), `#${i} ${t.name} (ours ${l.name}): input shape`);
      });
    });

    test('every conv2d: kernel, stride, padding, groups, dilation, bias, parameters, MACs', () => {
      const convs = ours.filter((l) => l.type === 'conv2d');
      const tconvs = theirs.filter((t) => t.type === 'Conv2d');
      assert.equal(convs.length, tconvs.length);
      tconvs.forEach((t, i) => {
        const l: LayerModel = convs[i];
        const at = `${t.name} (ours ${l.name})`;
        assert.equal(l.inShapes[0][0], t.C, `${at}: in channels`);
        assert.equal(l.attrs.outChannels, t.K, `${at}: out channels`);
        assert.deepEqual(l.attrs.kernel, [t.R, t.S], `${at}: kernel`);
        assert.deepEqual(l.attrs.stride, t.stride, `${at}: stride`);
        assert.deepEqual(l.attrs.padding, t.pad, `${at}: padding`);
        assert.deepEqual(l.attrs.dilation, t.dilation, `${at}: dilation`);
        assert.equal(l.attrs.groups, t.groups, `${at}: groups`);
        assert.equal(l.attrs.bias, t.bias, `${at}: bias`);
        const weights = t.K! * (t.C! / t.groups!) * t.R! * t.S! + (t.bias ? t.K! : 0);
        assert.equal(l.params, weights, `${at}: parameters`);
        const macs = t.out.reduce((a, b) => a * b, 1) * (t.C! / t.groups!) * t.R! * t.S!;
        assert.equal(l.macs, macs, `${at}: MACs`);
        assert.equal(expectedMacs(l, net.batch), macs, `${at}: MACs by our formula`);
      });
    });

    test('every linear: in/out features, bias, parameters, MACs', () => {
      const fcs = ours.filter((l) => l.type === 'linear');
      const tfcs = theirs.filter((t) => t.type === 'Linear');
      assert.equal(fcs.length, tfcs.length);
      tfcs.forEach((t, i) => {
        const l = fcs[i];
        const at = `${t.name} (ours ${l.name})`;
        assert.equal(l.inShapes[0][l.inShapes[0].length - 1], t.inF, `${at}: in features`);
        assert.equal(l.attrs.outFeatures, t.outF, `${at}: out features`);
        assert.equal(l.attrs.bias, t.bias, `${at}: bias`);
        assert.equal(l.params, t.inF! * t.outF! + (t.bias ? t.outF! : 0), `${at}: parameters`);
        assert.equal(l.macs, table.batch * t.inF! * t.outF!, `${at}: MACs`);
      });
    });

    test('pooling windows: max pool kernel and stride', () => {
      const pools = ours.filter((l) => l.type === 'maxpool');
      const tpools = theirs.filter((t) => t.type === 'MaxPool2d');
      tpools.forEach((t, i) => {
        assert.deepEqual(pools[i].attrs.kernel, t.kernel, `${t.name}: kernel`);
        assert.deepEqual(pools[i].attrs.stride, t.stride, `${t.name}: stride`);
      });
    });

    test("total forward MACs (conv2d + linear) equal the table's", () => {
      const total = net.layers
        .filter((l) => l.type === 'conv2d' || l.type === 'linear')
        .reduce((s, l) => s + l.macs, 0);
      assert.equal(total, tableMacs(table));
    });
  });
}

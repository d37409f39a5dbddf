// The layer registry (server/src/layers/): every registered type has every part, the vocabulary and the lowering
// are derived from it, and its ONNX operator lists agree with what the importer handles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LAYERS, LAYER_DEFS } from '../../../server/src/layers/index';
import { LAYER_TYPES, LAYER_TYPE_NAMES } from '../../../server/src/spec/vocab';
import { ALIASES, OPS } from '../../../server/src/onnx/ops/index';
import { EWISE_FLOPS } from '../../../server/src/layers/elementwise';
import { analyze } from '../../../server/src/spec/index';
import { lower } from '../../../server/src/sim/lower';

const CLASSES = ['conv', 'matmul', 'rnn', 'norm', 'pool', 'eltwise', 'embedding', 'reshape', 'unsupported'];

test('every registered layer type has every part: doc, shape rule, arity, documented keys, inference, class, lowering, ONNX list', () => {
  assert.equal(LAYER_DEFS.length, 40);
  for (const [key, d] of Object.entries(LAYERS)) {
    assert.equal(d.type, key, 'registered under its own type');
    assert.ok(d.doc.length > 8 && d.shapes.length > 2, `${key}: doc and shape rule`);
    assert.ok(['one', 'two', 'many', 'any', 'none'].includes(d.inputs), `${key}: arity`);
    assert.ok(CLASSES.includes(d.cls), `${key}: class ${d.cls}`);
    assert.equal(typeof d.infer, 'function', `${key}: infer`);
    assert.equal(typeof d.lower, 'function', `${key}: lower`);
    assert.ok(Array.isArray(d.onnx), `${key}: onnx list`);
    for (const k of d.keys) {
      assert.match(k.key, /^[a-z][a-z0-9_]*$/, `${key}.${k.key}`);
      assert.ok(k.doc.length > 5, `${key}.${k.key}: doc`);
      assert.ok(!(k.required && k.default !== undefined), `${key}.${k.key}: required keys have no default`);
    }
  }
});

test("the vocabulary (completion, hover, schemas) is the registry's", () => {
  assert.deepEqual(LAYER_TYPE_NAMES, Object.keys(LAYERS));
  for (const d of LAYER_DEFS) assert.equal(LAYER_TYPES[d.type as keyof typeof LAYERS].keys, d.keys);
});

test('ONNX: every operator the importer maps is listed by a layer type (or is an alias), and every listed one is mapped', () => {
  const listed = new Set(LAYER_DEFS.flatMap((d) => d.onnx));
  const handled = new Set([...Object.keys(OPS), ...Object.keys(EWISE_FLOPS)]);
  const aliases = new Set<string>(ALIASES);
  assert.deepEqual(
    [...handled].filter((op) => !listed.has(op) && !aliases.has(op)),
    [],
    'mapped but listed by no layer type',
  );
  assert.deepEqual(
    [...listed].filter((op) => !handled.has(op)),
    [],
    'listed but not mapped',
  );
  assert.deepEqual(LAYERS.elementwise.onnx, Object.keys(EWISE_FLOPS));
});

test("a type's module drives its reading, shape and lowering: a network with one layer of each family lowers with the modules' classes", () => {
  const net = analyze(
    'file:///t.net.yaml',
    `kind: network
name: t
batch_size: 2
input_shape: [3, 8, 8]
layers:
  - {name: c, type: conv2d, out_channels: 4, kernel_size: 3, padding: same}
  - {name: p, type: maxpool, kernel_size: 2}
  - {name: b, type: batchnorm}
  - {name: r, type: relu6}
  - {name: f, type: flatten}
  - {name: l, type: linear, out_features: 5}
`,
  ).network!;
  assert.deepEqual(
    net.layers.map((l) => l.outShape),
    [[4, 8, 8], [4, 4, 4], [4, 4, 4], [4, 4, 4], [64], [5]],
  );
  // maxpool's stride defaults to its kernel (its module's reading); padding: same keeps 8x8 (conv2d's)
  assert.deepEqual(net.layers[1].attrs.stride, [2, 2]);
  const w = lower(net);
  assert.deepEqual(
    w.layers.map((l) => l.cls),
    ['conv', 'pool', 'norm', 'eltwise', 'reshape', 'matmul'],
  );
  assert.deepEqual(
    w.layers.map((l) => l.cls),
    net.layers.map((l) => LAYERS[l.type].cls),
  );
  // relu6: 2 flops per element forward (its module), 2 x 64 x 2 = 256
  assert.equal(w.layers[3].phases[0].flops, 2 * 64 * 2);
});

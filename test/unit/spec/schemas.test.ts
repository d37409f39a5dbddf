// The JSON Schemas in schemas/ are generated from the validator's tables: they must be current, and they must
// accept the documents the validator accepts (and reject some it rejects).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { schemaFiles } from '../../../server/src/spec/schema-gen';
import { generatedFiles } from '../../../server/src/spec/generated';
import { HARDWARE_YAML, TRANSFORMER_YAML, resnet50Yaml } from './fixtures';

const root = join(__dirname, '..', '..', '..');

test("schemas/*.json, docs/layers.md and the grammar's word lists are up to date (run: node --import tsx scripts/gen-schemas.ts)", () => {
  const grammar = readFileSync(join(root, 'syntaxes', 'accelmap.injection.tmLanguage.json'), 'utf8');
  const files = generatedFiles(grammar);
  assert.deepEqual(Object.keys(files).sort(), [
    'docs/layers.md',
    'schemas/hardware.schema.json',
    'schemas/network.schema.json',
    'syntaxes/accelmap.injection.tmLanguage.json',
  ]);
  for (const [path, text] of Object.entries(files)) {
    const onDisk = readFileSync(join(root, path), 'utf8');
    assert.ok(onDisk === text, `${path} is stale: regenerate it with node --import tsx scripts/gen-schemas.ts`);
  }
  // the layer reference lists every registered type with its ONNX operators
  assert.match(
    files['docs/layers.md'],
    /\| `conv2d` \| 2-D convolution \(PyTorch Conv2d\)\. \| one \| \[C,H,W\] -> \[K,P,Q\] \| conv \|.*\| Conv \|/,
  );
});

const ajv = new Ajv({ strict: false, allErrors: true });
const files = schemaFiles();
const network = ajv.compile(JSON.parse(files['network.schema.json']));
const hardware = ajv.compile(JSON.parse(files['hardware.schema.json']));

test('the network schema accepts ResNet-50 and the transformer block, rejects unknown layer keys and bad types', () => {
  assert.ok(network(parse(resnet50Yaml())), JSON.stringify(network.errors?.slice(0, 3)));
  assert.ok(network(parse(TRANSFORMER_YAML)), JSON.stringify(network.errors?.slice(0, 3)));
  assert.equal(network(parse('kind: network\ninput_shape: [3]\nlayers: [{type: relu, kernel_size: 3}]\n')), false);
  // kernel_size required
  assert.equal(network(parse('kind: network\ninput_shape: [3]\nlayers: [{type: conv2d, out_channels: 3}]\n')), false);
  assert.equal(network(parse('kind: network\ninput_shape: [3]\nbatch_size: 0\nlayers: []\n')), false);
});

test('the hardware schema accepts the example, has per-kind groups with units, and rejects unknown group keys', () => {
  assert.ok(hardware(parse(HARDWARE_YAML)), JSON.stringify(hardware.errors?.slice(0, 3)));
  assert.equal(hardware(parse('kind: hardware\ntargets:\n  - {name: a, kind: ntx, compute: {clusterz: 3}}\n')), false);
  assert.equal(hardware(parse('kind: hardware\ntargets:\n  - {name: a, kind: ntx, compute: {clock: 1250}}\n')), false);
  const schema = JSON.parse(files['hardware.schema.json']);
  const ntx = schema.definitions.target.allOf.find(
    (b: { if: unknown; then: { properties: Record<string, unknown> } }) =>
      b.then.properties.compute && JSON.stringify(b.if).includes('"ntx"'),
  );
  const clock = ntx.then.properties.compute.properties.clock;
  assert.equal(clock.type, 'string');
  assert.match(clock.description, /Unit: Hz/);
  assert.ok(new RegExp(clock.pattern).test('1.25 GHz'));
  assert.ok(!new RegExp(clock.pattern).test('1.25'));
});

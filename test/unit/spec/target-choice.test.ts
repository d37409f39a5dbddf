// Which targets a network is evaluated on, shared by the CLI and the editor (spec/targetChoice.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseTargetNames, defaultTargetNames, hardwarePathsOf } from '../../../server/src/spec/targetChoice';
import { KINDS } from '../../../server/src/kinds/params';
import { specBaseName, specKindByName, networkSpecPathFor } from '../../../server/src/spec/files';

test('the first source that names targets wins: --target, --hw targets, the network, the setting, one preset per kind', () => {
  assert.deepEqual(chooseTargetNames({ option: ['a'], hwTargets: ['b'], network: ['c'], setting: ['d'] }), {
    names: ['a'],
    source: 'option',
  });
  assert.deepEqual(chooseTargetNames({ option: [], hwTargets: ['b'], network: ['c'], setting: ['d'] }), {
    names: ['b'],
    source: 'hw',
  });
  assert.deepEqual(chooseTargetNames({ network: ['c'], setting: ['d'] }), { names: ['c'], source: 'network' });
  assert.deepEqual(chooseTargetNames({ network: [], setting: ['d'] }), { names: ['d'], source: 'setting' });
  assert.deepEqual(chooseTargetNames({ network: [] }), { names: defaultTargetNames(), source: 'default' });
  assert.equal(defaultTargetNames().length, KINDS.length);
});

test("a network's hardware: files resolve against its folder; absolute paths stay", () => {
  assert.deepEqual(hardwarePathsOf('/w/nets/a.net.yaml', ['./my.hw.yaml', '../hw/b.hw.yaml', '/abs/c.hw.yaml']), [
    '/w/nets/my.hw.yaml',
    '/w/hw/b.hw.yaml',
    '/abs/c.hw.yaml',
  ]);
});

test('spec-file naming: kind by name, base name, the spec next to an ONNX model', () => {
  assert.equal(specKindByName('/w/resnet50.net.yaml'), 'network');
  assert.equal(specKindByName('X.HW.JSON'), 'hardware');
  assert.equal(specKindByName('/w/plain.yaml'), undefined);
  assert.equal(specBaseName('/w/a/resnet50.net.yml'), 'resnet50');
  assert.equal(specBaseName('C:\\w\\edge.hw.json'), 'edge');
  assert.equal(specBaseName('/w/plain.yaml'), 'plain');
  assert.equal(networkSpecPathFor('/m/gpt2.ONNX'), '/m/gpt2.net.yaml');
});

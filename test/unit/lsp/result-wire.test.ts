// The columnar wire form of accelmap/simulationResult decodes to the very result the simulator returned (every
// example network on one preset of every kind), and is much smaller than the JSON of the objects.
import { test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { resolveTargets } from '../../../server/src/spec/index';
import { simulate } from '../../../server/src/sim/index';
import { KINDS } from '../../../server/src/kinds/params';
import { decodeResult, encodeResult, isWireResult } from '../../../server/src/lsp/resultWire';
import { exampleFiles, analyzeExample } from '../examples/load';

const everyKind = resolveTargets(
  KINDS.map((k) => k.presets[0].name),
  [],
).targets;
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

test('every example network: decode(encode(result)) is the result, through JSON as on the wire', () => {
  let nets = 0;
  for (const f of exampleFiles()) {
    const doc = analyzeExample(f);
    if (!doc.network) continue;
    nets++;
    const r = simulate(doc.network, everyKind, { baseline: everyKind[0].name });
    const wire = JSON.parse(JSON.stringify(encodeResult(r)));
    assert.ok(isWireResult(wire));
    assert.deepStrictEqual(decodeResult(wire), plain(r), f);
  }
  assert.ok(nets >= 8);
});

test('a failed target (no layers) and events of layers outside the layer table survive the round trip', () => {
  const net = analyzeExample('resnet18.net.yaml').network!;
  const r = simulate(net, everyKind.slice(0, 2));
  r.targets.push({
    ...r.targets[0],
    name: 'broken',
    layers: [],
    timeline: [{ lane: 'host', layer: '(loss)', phase: 'fwd', kind: 'update', startS: 0, endS: 1e-6 }],
  });
  assert.deepStrictEqual(decodeResult(JSON.parse(JSON.stringify(encodeResult(r)))), plain(r));
});

test('the wire form is a fraction of the JSON of the objects (ResNet-50 on six targets)', () => {
  const net = analyzeExample('resnet50.net.yaml').network!;
  const r = simulate(net, everyKind);
  const json = JSON.stringify(r).length,
    wire = JSON.stringify(encodeResult(r)).length;
  assert.ok(wire < json / 10, `wire ${wire} B vs JSON ${json} B`);
});

test('a version-1 payload (raw columns, as servers before deflated columns sent) still decodes', () => {
  const net = analyzeExample('resnet18.net.yaml').network!;
  const r = simulate(net, everyKind.slice(0, 3));
  const v2 = JSON.parse(JSON.stringify(encodeResult(r)));
  assert.equal(v2.wire, 2);
  // the same payload with every column inflated back: version 1
  const inflate = (o: any): any => {
    if (typeof o === 'string' && o.startsWith('~'))
      return inflateRawSync(Buffer.from(o.slice(1), 'base64'), { windowBits: 12 }).toString('base64');
    if (Array.isArray(o)) return o.map(inflate);
    if (o && typeof o === 'object') return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, inflate(v)]));
    return o;
  };
  assert.ok(JSON.stringify(v2).includes('"~'), 'some columns are deflated');
  const v1 = { ...inflate(v2), wire: 1 };
  assert.deepStrictEqual(decodeResult(v1), plain(r));
  assert.deepStrictEqual(decodeResult(v2), plain(r));
});

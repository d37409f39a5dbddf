// The columnar wire form of accelmap/simulationResult decodes to the very result the simulator returned (every
// example network on one preset of every kind), and is much smaller than the JSON of the objects.
import { test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { resolveTargets } from '../../../server/src/spec/index';
import { simulate } from '../../../server/src/sim/index';
import { KINDS } from '../../../server/src/kinds/params';
import { decodeResult, encodeResult, isWireResult } from '../../../server/src/lsp/resultWire';
import { phaseColumnsOf } from '../../../server/src/sim/record';
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

test('recorded results are encoded from their columns, read or not; replaced layers from the objects', () => {
  const net = analyzeExample('resnet18.net.yaml').network!;
  const r = simulate(net, everyKind);
  const expected = plain(simulate(net, everyKind)); // (reading r's would build its layers)
  const [a, b, c] = r.targets;
  // a: never read; b: read (the objects the recorder built); c: replaced (the columns no longer describe it)
  assert.ok(phaseColumnsOf(a) && Object.getOwnPropertyDescriptor(a, 'layers')!.get, 'a has columns and unread layers');
  void b.layers;
  assert.ok(phaseColumnsOf(b), 'b still has columns after its layers were read');
  c.layers = c.layers.map((l) => ({ ...l, phases: l.phases.map((p) => ({ ...p, timeS: p.timeS * 2 })) }));
  assert.equal(phaseColumnsOf(c), undefined);
  const wire = JSON.parse(JSON.stringify(encodeResult(r)));
  // encoding did not build a's per-layer objects
  assert.ok(Object.getOwnPropertyDescriptor(a, 'layers')!.get, "encoding read a's layers");
  const back = decodeResult(wire);
  assert.deepStrictEqual(back.targets[0], expected.targets[0]);
  assert.deepStrictEqual(back.targets[1], expected.targets[1]);
  assert.deepStrictEqual(back.targets[2], plain(c));
  assert.notDeepStrictEqual(back.targets[2], expected.targets[2]);
});

test('the wire form is a fraction of the JSON of the objects (ResNet-50 on six targets)', () => {
  const net = analyzeExample('resnet50.net.yaml').network!;
  const r = simulate(net, everyKind);
  const json = JSON.stringify(r).length,
    wire = JSON.stringify(encodeResult(r)).length;
  assert.ok(wire < json / 10, `wire ${wire} B vs JSON ${json} B`);
});

test('version-1 and version-2 payloads (as older servers sent) still decode', () => {
  const net = analyzeExample('resnet18.net.yaml').network!;
  const r = simulate(net, everyKind.slice(0, 3));
  const v3 = JSON.parse(JSON.stringify(encodeResult(r)));
  assert.equal(v3.wire, 3);
  // version 3 says each deflated column's inflated size: `~<bytes>:` + base64
  const sized = /^~(\d+):(.*)$/s;
  const rewrite = (o: any, f: (s: string) => string): any => {
    if (typeof o === 'string' && o.startsWith('~')) return f(o);
    if (Array.isArray(o)) return o.map((x) => rewrite(x, f));
    if (o && typeof o === 'object') return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, rewrite(v, f)]));
    return o;
  };
  let columns = 0;
  rewrite(v3, (s) => {
    const m = sized.exec(s);
    assert.ok(m, `a deflated column without its size: ${s.slice(0, 20)}`);
    assert.equal(inflateRawSync(Buffer.from(m[2], 'base64'), { windowBits: 12 }).length, Number(m[1]));
    columns++;
    return s;
  });
  assert.ok(columns > 0, 'some columns are deflated');
  // version 2: `~` + base64, no size; version 1: every column raw
  const v2 = { ...rewrite(v3, (s) => '~' + sized.exec(s)![2]), wire: 2 };
  const v1 = {
    ...rewrite(v2, (s) => inflateRawSync(Buffer.from(s.slice(1), 'base64'), { windowBits: 12 }).toString('base64')),
    wire: 1,
  };
  for (const v of [v1, v2, v3]) assert.deepStrictEqual(decodeResult(v), plain(r), `version ${v.wire}`);
});

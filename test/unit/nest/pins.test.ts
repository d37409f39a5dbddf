// Mappings written in a network spec (`mapping:` of a layer): what the spec checks (phases, keys, the layer's
// loop-nest dimensions, factors, data-space names), how pins become mapper constraints, each reason a set of pins
// cannot be met on a target (with the sizes), and the simulator using a pinned mapping as given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, resolveTargets } from '../../../server/src/spec/index';
import { lower, simulate } from '../../../server/src/sim/index';
import { phaseProblems } from '../../../server/src/sim/nest/training';
import { pinIssues, pinsToConstraints } from '../../../server/src/sim/nest/pins';
import { mapWorkload, spatialArch } from '../../../server/src/kinds/spatial/model';
import type { LevelPin } from '../../../server/src/spec/types';

const net = (mapping: string) => `kind: network
name: pin
batch_size: 4
input_shape: [64, 28, 28]
targets: [eyeriss-like]
layers:
  - name: conv
    type: conv2d
    out_channels: 96
    kernel_size: 3
    padding: 1
    mapping: ${mapping}
  - {name: relu, type: relu}
`;
const eyeriss = resolveTargets(['eyeriss-like'], []).targets[0];
const pin = (level: string, o: Omit<LevelPin, 'level' | 'range'>): LevelPin => ({
  level,
  ...o,
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
});

test('the spec reads pins per phase and level; wrong phases, keys, dimensions, factors and names are diagnostics with ranges', () => {
  const ok = analyze(
    'file:///p.net.yaml',
    net(
      '{fwd: {global_buffer: {spatial: {K: 12, C: 8}, spatial_x: [C]}, pe_buffer: {temporal: {R: 3}, order: [R], keep: [Weights, Inputs]}}, all: {dram: {bypass: []}}}',
    ),
  );
  assert.deepEqual(ok.diagnostics, []);
  const m = ok.network!.layers[0].attrs.mapping!;
  assert.deepEqual(
    m.phases.fwd!.map(({ range: _r, ...x }) => x),
    [
      { level: 'global_buffer', spatial: { K: 12, C: 8 }, spatialX: ['C'] },
      { level: 'pe_buffer', temporal: { R: 3 }, order: ['R'], keep: ['Weights', 'Inputs'] },
    ],
  );
  assert.equal(m.ranges.fwd!.start.line, 11);
  const bad = analyze(
    'file:///p.net.yaml',
    net('{fwdd: {}, bwd_data: {pe_buffer: {temporal: {X: 2, K: 0}, keep: [Weights, Psums], bypas: [Inputs]}}}'),
  );
  const msgs = bad.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n');
  assert.match(msgs, /AM2003 Unknown key `fwdd` in `mapping` \(phases\); did you mean `fwd`\?/);
  assert.match(
    msgs,
    /AM2003 Unknown key `X` in `mapping.bwd_data.pe_buffer.temporal` \(the layer's loop-nest dimensions\)/,
  );
  assert.match(msgs, /mapping.bwd_data.pe_buffer.temporal.K/);
  assert.match(msgs, /AM2006 `Psums` in `mapping.bwd_data.pe_buffer.keep` is not one of Weights, Inputs, Outputs/);
  assert.match(msgs, /AM2003 Unknown key `bypas` .*did you mean `bypass`\?/);
  // a layer without a loop nest: the key has no effect, said so
  const relu = analyze(
    'file:///r.net.yaml',
    net('{}').replace('  - {name: relu, type: relu}', '  - {name: relu, type: relu, mapping: {fwd: {}}}'),
  );
  assert.match(relu.diagnostics.map((d) => d.message).join('\n'), /`mapping` has no effect on a `relu` layer/);
});

test('pins become Timeloop-style constraints: factors, the order as a permutation innermost first, keep / bypass, X dimensions', () => {
  const c = pinsToConstraints([
    pin('pe_buffer', { temporal: { R: 3, S: 3 }, order: ['S', 'R'], keep: ['Weights'] }),
    pin('global_buffer', { spatial: { K: 12 }, spatialX: ['K'] }),
  ]);
  assert.deepEqual(c, [
    { level: 'pe_buffer', type: 'temporal', factors: { R: 3, S: 3 }, permutation: ['R', 'S'] },
    { level: 'pe_buffer', type: 'datatype', keep: ['Weights'] },
    { level: 'global_buffer', type: 'spatial', factors: { K: 12 }, spatialX: ['K'] },
  ]);
});

test('every reason pins cannot be met is named with its numbers: level, dimension, factors, fan-out, keep, capacity', () => {
  const w = lower(analyze('file:///p.net.yaml', net('{}')).network!);
  const [p] = phaseProblems(w.layers[0], 'fwd');
  const a = spatialArch(eyeriss);
  assert.deepEqual(pinIssues(p, a, [pin('gbuf', { spatial: { K: 2 } })]), [
    '`gbuf` is not a storage level of eyeriss-like (its levels: dram, global_buffer, pe_buffer)',
  ]);
  assert.deepEqual(pinIssues(p, a, [pin('pe_buffer', { temporal: { G: 2 } })]), [
    'G is not a dimension of this loop nest (its dimensions: N, K, C, P, Q, R, S)',
  ]);
  assert.deepEqual(pinIssues(p, a, [pin('global_buffer', { spatial: { C: 14 } })]), [
    'the pinned factors of C multiply to 14, which does not divide its bound 64',
  ]);
  assert.deepEqual(
    pinIssues(
      p,
      a,
      a.levels.map((lv) => pin(lv.name, { temporal: { R: 1 } })),
    ),
    ['the factors of R are pinned at every level and multiply to 1, not to its bound 3'],
  );
  assert.match(
    pinIssues(p, a, [pin('global_buffer', { spatial: { K: 96, C: 2 } })])[0],
    /spatial factors at global_buffer use 192 instances below it; it has 168 \(14 x 12\)/,
  );
  const keep = pinIssues(p, a, [pin('global_buffer', { keep: ['Weights', 'Inputs', 'Outputs'] })]);
  assert.match(keep.join(), /global_buffer may not hold Weights/);
  assert.match(
    pinIssues(p, a, [pin('pe_buffer', { temporal: { K: 96, R: 3, S: 3 }, keep: ['Weights'] })]).join(),
    /the tiles kept at pe_buffer need 864 words; it holds 260/,
  );
  assert.deepEqual(pinIssues(p, a, [pin('global_buffer', { spatial: { K: 12, C: 8 } })]), []);
});

test('a pinned mapping is used as given (the mapper fills the rest); pins that cannot be met fall back to the mapper with a mapping.illegal finding', () => {
  const doc = analyze(
    'file:///p.net.yaml',
    net('{fwd: {global_buffer: {spatial: {K: 12, C: 8}}, pe_buffer: {temporal: {R: 3}}}}'),
  );
  const w = lower(doc.network!);
  const [fwd] = mapWorkload(w, eyeriss).filter((x) => x.layer.name === 'conv' && x.phase === 'fwd');
  const m = fwd.maps[0];
  assert.equal(m.pinned, true);
  assert.deepEqual(m.mapping[1].spatial, { K: 12, C: 8 });
  assert.equal(m.mapping[2].temporal.R, 3);
  const r = simulate(doc.network!, [eyeriss]).targets[0];
  assert.equal(
    r.findings.some((f) => f.code === 'mapping.illegal'),
    false,
  );
  const bad = analyze('file:///p.net.yaml', net('{all: {global_buffer: {spatial: {C: 14}}}}'));
  const rb = simulate(bad.network!, [eyeriss]).targets[0];
  const f = rb.findings.filter((x) => x.code === 'mapping.illegal');
  // (the first layer has no backward-data phase: nothing needs the input's gradient)
  assert.deepEqual(
    f.map((x) => [x.layer, x.phase]),
    [
      ['conv', 'fwd'],
      ['conv', 'bwd_weight'],
    ],
  );
  assert.match(
    f[0].message,
    /^conv fwd: the pinned mapping cannot be met on eyeriss-like: the pinned factors of C multiply to 14, which does not divide its bound 64\. The mapper's own mapping is used instead\.$/,
  );
  // and the result is the unpinned one's
  const free = simulate(analyze('file:///p.net.yaml', net('{}')).network!, [eyeriss]).targets[0];
  assert.equal(rb.totals.timeS, free.totals.timeS);
});

test("mapper.constraints on a spatial target apply to every nest (dimensions a nest lacks skipped), under the layer's own pins; bad clauses are hardware diagnostics", async () => {
  const { parseConstraints } = await import('../../../server/src/spec/mapping');
  const c = parseConstraints(
    'pe_buffer temporal R=3 S=3 order=R,S; global_buffer spatial K=12 x=K; pe_buffer keep Weights Inputs',
  );
  assert.deepEqual(c.errors, []);
  assert.deepEqual(
    c.pins.map(({ range: _r, ...x }) => x),
    [
      { level: 'pe_buffer', temporal: { R: 3, S: 3 }, order: ['R', 'S'], keep: ['Weights', 'Inputs'] },
      { level: 'global_buffer', spatial: { K: 12 }, spatialX: ['K'] },
    ],
  );
  assert.deepEqual(
    parseConstraints('gbuf spatial K=2; pe_buffer keep Psums; dram temporal K=x; pe_buffer tempo R=3').errors,
    [
      '`gbuf` is not a storage level (dram, global_buffer, pe_buffer) in `gbuf spatial K=2`',
      '`pe_buffer keep Psums`: keep takes data-space names (Weights, Inputs, Outputs), not Psums',
      '`K=x` in `dram temporal K=x`: a dimension (one capital letter) takes a positive integer factor',
      '`pe_buffer tempo R=3`: after the level comes temporal, spatial, keep or bypass, not `tempo`',
    ],
  );
  const hw = analyze(
    'file:///c.hw.yaml',
    'kind: hardware\ntargets:\n  - name: eye\n    extends: eyeriss-like\n    mapper: {constraints: "global_buffer spatial K=12; pe_buffer kep Weights"}\n',
  );
  const d = hw.diagnostics.find((x) => x.code === 'AM2004')!;
  assert.match(
    d.message,
    /mapper.constraints: `pe_buffer kep Weights`: after the level comes temporal, spatial, keep or bypass, not `kep`\./,
  );
  assert.equal(d.range.start.line, 4);

  // every conv nest gets K spread 12 ways at the global buffer; the layer's own pin at that level wins
  const eye = { ...eyeriss, params: { ...eyeriss.params, 'mapper.constraints': 'global_buffer spatial K=12' } };
  const w = lower(analyze('file:///p.net.yaml', net('{bwd_weight: {global_buffer: {spatial: {K: 6}}}}')).network!);
  const maps = mapWorkload(w, eye).filter((x) => x.layer.name === 'conv');
  assert.deepEqual(
    maps.map((x) => [x.phase, x.maps[0].mapping[1].spatial.K]),
    [
      ['fwd', 12],
      ['bwd_weight', 6],
    ],
  );
  // constraints no nest can meet: a finding per phase that says the target's constraints are the reason
  const impossible = { ...eyeriss, params: { ...eyeriss.params, 'mapper.constraints': 'global_buffer spatial K=7' } };
  const r = simulate(analyze('file:///p.net.yaml', net('{}')).network!, [impossible]).targets[0];
  assert.match(
    r.findings.find((f) => f.code === 'mapping.illegal')!.message,
    /^conv fwd: eyeriss-like's mapper.constraints cannot be met: the pinned factors of K multiply to 7, which does not divide its bound 96\. Every operand streams from DRAM\.$/,
  );
});

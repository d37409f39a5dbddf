// The accelmap command line, run in-process: exit codes, messages, and the values it prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';
import { analyze, resolveTargets } from '../../../server/src/spec/index';
import { simulate } from '../../../server/src/sim/index';
import { RESULT_SCHEMA_VERSION, type SimulationResult } from '../../../server/src/sim/types';
import { KINDS } from '../../../server/src/kinds/params';
import { importOnnxFileSync } from '../../../server/src/onnx/index';
import pkg from '../../../package.json';
import { model } from '../onnx/onnx-writer';
import { SHARED_ONNX } from '../../shared-data';

const ONNX = SHARED_ONNX;
const dir = mkdtempSync(join(tmpdir(), 'accelmap-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const put = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const NET = `kind: network
name: tiny
batch_size: 8
input_shape: [3, 32, 32]
layers:
  - {name: conv1, type: conv2d, out_channels: 16, kernel_size: 3, padding: 1}
  - {name: relu1, type: relu}
  - {name: pool, type: global_avgpool}
  - {name: flat, type: flatten}
  - {name: fc, type: linear, out_features: 10}
`;
const HW = `kind: hardware
targets:
  - name: ntx-64
    extends: ntx
    compute:
      clusters: 64
  - name: gpu-a
    extends: h100-sxm
`;

test('--version, --help, no command, unknown command and options: messages and exit codes', () => {
  assert.deepEqual(runCli(['--version']), { code: 0, out: `${pkg.version}\n`, err: '' });
  const h = runCli(['--help']);
  assert.equal(h.code, 0);
  for (const c of ['simulate', 'check', 'targets', 'import']) assert.match(h.out, new RegExp(`^  ${c} `, 'm'));
  assert.equal(runCli([]).code, 2);
  assert.deepEqual(runCli(['simualte']), {
    code: 2,
    out: '',
    err: "accelmap: unknown command 'simualte'; did you mean 'simulate'? (see accelmap --help)\n",
  });
  const f = runCli(['simulate', 'x.net.yaml', '--fromat', 'json']);
  assert.equal(f.code, 2);
  assert.equal(
    f.err,
    "accelmap: unknown option '--fromat' for 'simulate'; did you mean '--format'? (see accelmap simulate --help)\n",
  );
  assert.match(
    runCli(['simulate', 'x.yaml', '--format', 'jsn']).err,
    /--format must be one of table, json, csv, trace, html \(got 'jsn'\); did you mean 'json'\?/,
  );
  assert.match(runCli(['simulate', 'x.yaml', '--batch', '0']).err, /--batch must be a positive integer \(got '0'\)/);
  assert.equal(runCli(['simulate', 'x.yaml', '--batch']).code, 2);
  assert.equal(runCli(['import']).code, 2);
  assert.equal(runCli(['simulate', '--help']).code, 0);
});

test('simulate --format json is the SimulationResult of simulate() on the same spec and targets', () => {
  const net = put('tiny.net.yaml', NET);
  const r = runCli([
    'simulate',
    net,
    '--target',
    'ntx',
    '-t',
    'h100-sxm',
    '--baseline',
    'h100-sxm',
    '--format',
    'json',
  ]);
  assert.equal(r.code, 0, r.err);
  const got: SimulationResult = JSON.parse(r.out);
  assert.equal(got.schemaVersion, RESULT_SCHEMA_VERSION);
  assert.deepEqual(
    got.targets.map((t) => t.name),
    ['ntx', 'h100-sxm'],
  );
  assert.equal(got.baseline, 'h100-sxm');
  const doc = analyze('file:///tiny.net.yaml', NET);
  const expected = simulate(doc.network!, resolveTargets(['ntx', 'h100-sxm'], []).targets, { baseline: 'h100-sxm' });
  assert.deepEqual(got, JSON.parse(JSON.stringify(expected)));
  assert.equal(got.network.batch, 8);
  assert.ok(got.targets[0].vsBaseline!.speedup > 0);
});

test('--batch and --precision reach the simulator; a baseline outside the targets is added', () => {
  const net = put('tiny2.net.yaml', NET);
  const r = runCli([
    'simulate',
    net,
    '-t',
    'ntx',
    '--batch',
    '16',
    '--precision',
    'bf16',
    '--baseline',
    'h100-sxm',
    '-f',
    'json',
  ]);
  assert.equal(r.code, 0, r.err);
  const got: SimulationResult = JSON.parse(r.out);
  assert.equal(got.network.batch, 16);
  assert.equal(got.network.precision, 'bf16');
  assert.deepEqual(
    got.targets.map((t) => t.name),
    ['h100-sxm', 'ntx'],
  );
});

test('target choice: --hw targets; else the network targets (with its hardware files); else one preset per kind', () => {
  const hw = put('mine.hw.yaml', HW);
  const net = put('tiny3.net.yaml', NET);
  const names = (argv: string[]) => {
    const r = runCli(argv);
    assert.equal(r.code, 0, r.err);
    return (JSON.parse(r.out) as SimulationResult).targets.map((t) => t.name);
  };
  assert.deepEqual(names(['simulate', net, '--hw', hw, '-f', 'json']), ['ntx-64', 'gpu-a']);
  assert.deepEqual(names(['simulate', net, '--hw', hw, '-t', 'gpu-a', '-f', 'json']), ['gpu-a']);
  const withTargets = put(
    'tiny4.net.yaml',
    NET.replace('layers:', 'targets: [ntx-64, gradpim]\nhardware: [./mine.hw.yaml]\nlayers:'),
  );
  assert.deepEqual(names(['simulate', withTargets, '-f', 'json']), ['ntx-64', 'gradpim']);
  const defaults = names(['simulate', net, '-f', 'json']);
  assert.deepEqual(
    defaults,
    KINDS.map((k) => k.presets[0].name),
  );
});

test('simulate failures: unknown target (did-you-mean), spec errors with file:line:col; --out is not written', () => {
  const net = put('tiny5.net.yaml', NET);
  const out = join(dir, 'never.json');
  const r = runCli(['simulate', net, '-t', 'h100-sxn', '-f', 'json', '-o', out]);
  assert.equal(r.code, 1);
  assert.match(r.err, /--target: .*h100-sxn.*h100-sxm/);
  assert.equal(existsSync(out), false);
  const bad = put('bad.net.yaml', NET.replace('out_channels: 16', 'out_chanels: 16'));
  const b = runCli(['simulate', bad, '-o', out]);
  assert.equal(b.code, 1);
  assert.match(b.err, /bad\.net\.yaml has \d+ errors?:\n.*bad\.net\.yaml:6:\d+: error AM\d+ /);
  assert.equal(existsSync(out), false);
  const missing = runCli(['simulate', join(dir, 'nope.net.yaml')]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /nope\.net\.yaml: cannot read the file \(ENOENT\)/);
  const unwritable = runCli(['simulate', net, '-t', 'ntx', '-o', join(dir, 'no-such-dir', 'x.json')]);
  assert.equal(unwritable.code, 1);
  assert.match(unwritable.err, /^accelmap: cannot write .*no-such-dir.*x\.json: ENOENT\n$/);
  const badHw = put('bad.hw.yaml', 'kind: hardware\ntargets:\n  - name: z\n    extends: ntxx\n');
  const bh = runCli(['simulate', net, '--hw', badHw]);
  assert.equal(bh.code, 1);
  assert.match(bh.err, /bad\.hw\.yaml has 1 error:\n.*bad\.hw\.yaml:4:\d+: error AM5001 .*ntxx.*did you mean `ntx`/);
  const hwAsNet = runCli(['simulate', put('only.hw.yaml', HW)]);
  assert.match(hwAsNet.err, /not a network spec .*pass it with --hw/);
});

test('simulate --out writes the file (and nothing to stdout); table and csv show the same numbers as json', () => {
  const net = put('tiny6.net.yaml', NET);
  const out = join(dir, 'res.json');
  const r = runCli(['simulate', net, '-t', 'ntx', '-f', 'json', '--out', out]);
  assert.equal(r.code, 0);
  assert.equal(r.out, '');
  const json: SimulationResult = JSON.parse(readFileSync(out, 'utf8'));
  const t = json.targets[0];
  const csv = runCli(['simulate', net, '-t', 'ntx', '-f', 'csv']).out.trim().split('\n');
  const header = csv[0].split(',');
  assert.deepEqual(header.slice(0, 9), [
    'target',
    'kind',
    'layer',
    'op',
    'phase',
    'engine',
    'bound',
    'flops',
    'time_s',
  ]);
  assert.equal(
    csv.length - 1,
    t.layers.reduce((a, l) => a + l.phases.length, 0),
  );
  const row = csv[1].split(',');
  assert.equal(row[2], t.layers[0].name);
  assert.equal(row[4], t.layers[0].phases[0].phase);
  assert.equal(Number(row[header.indexOf('time_s')]), t.layers[0].phases[0].timeS);
  assert.equal(Number(row[header.indexOf('energy_j')]), t.layers[0].phases[0].energyJ);
  const table = runCli(['simulate', net, '-t', 'ntx']).out;
  assert.match(table, /^tiny: 5 layers, batch 8, fp32/);
  assert.match(table, /^ntx +ntx +[\d.]+ [mun]?s +[\d.]+ [mun]?J /m);
  assert.match(table, /^ntx \(ntx\) per layer:$/m);
  assert.match(table, /^conv1 +conv2d +[\d.]+ [mun]?s/m);
  assert.doesNotMatch(runCli(['simulate', net, '-t', 'ntx', '--no-layers']).out, /per layer/);
  assert.doesNotMatch(table, /vs /);
  const vs = runCli(['simulate', net, '-t', 'ntx', '--baseline', 'h100-sxm', '--no-layers']).out;
  const js: SimulationResult = JSON.parse(
    runCli(['simulate', net, '-t', 'ntx', '--baseline', 'h100-sxm', '-f', 'json']).out,
  );
  assert.match(vs, /vs h100-sxm$/m);
  assert.match(vs, /^h100-sxm .* baseline$/m);
  const speed = js.targets.find((x) => x.name === 'ntx')!.vsBaseline!.speedup;
  const cell = vs
    .split('\n')
    .find((l) => l.startsWith('ntx '))!
    .trim()
    .split(/\s+/)
    .pop()!;
  assert.ok(cell.endsWith('x'));
  assert.ok(Math.abs(Number(cell.slice(0, -1)) / speed - 1) < 1e-3, `${cell} vs ${speed}`);
});

test('a TTY gets a progress line on stderr (erased afterwards); a pipe gets none', () => {
  const net = put('tiny7.net.yaml', NET);
  assert.equal(runCli(['simulate', net, '-t', 'ntx'], process.cwd(), true).err, `simulating ${net}…\r\u001b[K`);
  assert.equal(runCli(['simulate', net, '-t', 'ntx']).err, '');
});

test('check: file:line:col diagnostics, exit 1 on errors, 0 when clean; hardware files checked together', () => {
  const good = put('good.net.yaml', NET);
  const c = runCli(['check', good]);
  assert.equal(c.code, 0);
  assert.equal(c.out, '');
  assert.match(c.err, /1 file checked: 0 errors/);
  const bad = put('bad2.net.yaml', NET.replace('kernel_size: 3', 'kernel_size: three'));
  const b = runCli(['check', good, bad], dir);
  assert.equal(b.code, 1);
  assert.match(b.out, /^bad2\.net\.yaml:6:\d+: error AM\d+ .+$/m);
  const unknownTarget = put('t.net.yaml', NET.replace('layers:', 'targets: [ntx-64, ntxx]\nlayers:'));
  const hw = put('both.hw.yaml', HW);
  const t = runCli(['check', unknownTarget, hw], dir);
  assert.equal(t.code, 1);
  const lines = t.out.trim().split('\n');
  assert.equal(lines.length, 1, t.out);
  assert.match(lines[0], /^t\.net\.yaml:5:\d+: error AM5001 .*ntxx.*ntx/);
});

test('check on .onnx: import warnings at 1:1, corrupt files are errors', () => {
  const ok = runCli(['check', join(ONNX, 'resnet50-train.onnx'), '--batch', '32']);
  assert.equal(ok.code, 0, ok.out);
  const corrupt = join(dir, 'corrupt.onnx');
  writeFileSync(corrupt, readFileSync(join(ONNX, 'alexnet.onnx')).subarray(0, 1000));
  const r = runCli(['check', corrupt], dir);
  assert.equal(r.code, 1);
  assert.match(r.out, /^corrupt\.onnx:1:1: error ONNX001 not a readable ONNX model .*re-export or re-download it$/m);
});

test('check on an .onnx with an unknown operator: one warning naming the node, exit 0', () => {
  const file = join(dir, 'odd.onnx');
  writeFileSync(
    file,
    model({
      nodes: [
        { op: 'Relu', name: '/a/Relu', inputs: ['x'], outputs: ['r'] },
        { op: 'Mish', name: '/act/Mish', domain: 'com.example', inputs: ['r'], outputs: ['y'] },
      ],
      inputs: [{ name: 'x', dims: [2, 8] }],
      outputs: [{ name: 'y', dims: [2, 8] }],
    }),
  );
  const r = runCli(['check', file], dir);
  assert.equal(r.code, 0);
  assert.equal(
    r.out,
    "odd.onnx:1:1: warning ONNX002 node '/act/Mish' (Mish): operator of domain 'com.example' not modelled; imported as `type: unsupported` (zero cost)\n",
  );
  // simulate shows the same warning on stderr (unless --quiet) and still simulates.
  const s = runCli(['simulate', file, '-t', 'ntx', '-f', 'json']);
  assert.equal(s.code, 0);
  assert.match(s.err, /odd\.onnx:1:1: warning ONNX002 node '\/act\/Mish'/);
  assert.deepEqual(
    (JSON.parse(s.out) as SimulationResult).targets[0].layers.map((l) => l.op),
    ['relu', 'unsupported'],
  );
  assert.equal(runCli(['simulate', file, '-t', 'ntx', '-f', 'json', '--quiet']).err, '');
});

test('check on a folder checks the spec and .onnx files under it', () => {
  const sub = join(dir, 'tree');
  mkdirSync(join(sub, 'nested'), { recursive: true });
  writeFileSync(join(sub, 'a.net.yaml'), NET);
  writeFileSync(join(sub, 'nested', 'b.net.yaml'), NET.replace('kernel_size: 3', 'kernel_size: x'));
  writeFileSync(join(sub, 'notes.yaml'), 'just: notes\n');
  const r = runCli(['check', 'tree'], dir);
  assert.equal(r.code, 1);
  assert.match(r.out, /^tree\/nested\/b\.net\.yaml:6:\d+: error /m);
  assert.match(r.err, /2 files checked: 1 error/);
  assert.equal(runCli(['check', join(dir, 'tree', 'nested', 'none')]).code, 1);
});

test('import: stdout or -o, same text as the importer; errors exit 1 and write nothing', () => {
  const model = join(ONNX, 'vgg16-train.onnx');
  const r = runCli(['import', model, '--batch', '32', '--name', 'vgg']);
  assert.equal(r.code, 0);
  assert.equal(r.out, importOnnxFileSync(model, { batch: 32, name: 'vgg' }).yaml);
  assert.match(r.out, /^name: vgg$/m);
  const out = join(dir, 'vgg.net.yaml');
  const w = runCli(['import', model, '-b', '32', '-o', out]);
  assert.equal(w.code, 0);
  assert.equal(w.out, '');
  assert.match(w.err, /wrote .*vgg\.net\.yaml: 40 layers, batch 32/);
  const text = readFileSync(out, 'utf8');
  assert.match(text, /^batch_size: 32$/m);
  const bad = join(dir, 'bad.onnx');
  writeFileSync(bad, 'not onnx at all');
  const out2 = join(dir, 'from-bad-onnx.net.yaml');
  const e = runCli(['import', bad, '-o', out2]);
  assert.equal(e.code, 1);
  assert.match(e.err, /^accelmap: .*bad\.onnx: not a readable ONNX model/);
  assert.equal(existsSync(out2), false);
});

test('targets: every preset with kind and sources; json lists the same', () => {
  const j = runCli(['targets', '--format', 'json']);
  assert.equal(j.code, 0);
  const list = JSON.parse(j.out) as {
    name: string;
    kind: string;
    sources: string[];
    values: Record<string, unknown>;
  }[];
  const presets = KINDS.flatMap((k) => k.presets.map((p) => [p.name, k.kind]));
  assert.deepEqual(
    list.map((p) => [p.name, p.kind]),
    presets,
  );
  for (const p of list) assert.ok(p.sources.length > 0 && Object.keys(p.values).length > 0, p.name);
  const t = runCli(['targets']);
  for (const [name, kind] of presets)
    assert.match(t.out, new RegExp(`^${name.replace(/[.-]/g, '\\$&')}  \\(${kind}: `, 'm'));
});

test('simulate an .onnx as it was trained: --optimizer (and its fields), --precision and --dim reach the spec and the result', () => {
  const gpt = join(__dirname, '..', '..', 'corpus', 'onnx', 'gpt2_small.op17.onnx');
  const r = runCli([
    'simulate',
    gpt,
    '-t',
    'h100-sxm',
    '--batch',
    '4',
    '--dim',
    'seq=64',
    '--precision',
    'bf16',
    '--optimizer',
    'adamw',
    '--lr',
    '3e-4',
    '--weight-decay',
    '0.1',
    '-f',
    'json',
    '-q',
  ]);
  assert.equal(r.code, 0, r.err);
  const got: SimulationResult = JSON.parse(r.out);
  assert.equal(got.network.batch, 4);
  assert.equal(got.network.precision, 'bf16');
  // AdamW: the update of every weighted layer reads and writes two fp32 state tensors.
  const sgd = JSON.parse(
    runCli([
      'simulate',
      gpt,
      '-t',
      'h100-sxm',
      '--batch',
      '4',
      '--dim',
      'seq=64',
      '--precision',
      'bf16',
      '-f',
      'json',
      '-q',
    ]).out,
  ) as SimulationResult;
  const upd = (s: SimulationResult) =>
    s.targets[0].layers
      .flatMap((l) => l.phases)
      .filter((p) => p.phase === 'update')
      .reduce((a, p) => a + p.timeS, 0);
  assert.ok(upd(got) > 2 * upd(sgd), `adamw update ${upd(got)} s vs sgd ${upd(sgd)} s`);
  // The import writes them into the spec.
  const imp = runCli([
    'import',
    gpt,
    '--batch',
    '4',
    '--dim',
    'seq=64',
    '--precision',
    'bf16',
    '--optimizer',
    'adamw',
    '--lr',
    '3e-4',
  ]);
  assert.equal(imp.code, 0, imp.err);
  assert.match(imp.out, /^precision: bf16$/m);
  assert.match(imp.out, /^optimizer: \{type: adamw, lr: 0\.0003\}$/m);
  assert.match(imp.out, /^input_shape: \[64\]$/m);
  // A spec file's optimizer is replaced by --optimizer too.
  const net = put('tiny-opt.net.yaml', NET);
  const s = JSON.parse(
    runCli(['simulate', net, '-t', 'ntx', '--optimizer', 'momentum', '--momentum', '0.8', '-f', 'json']).out,
  ) as SimulationResult;
  assert.equal(s.targets.length, 1);
  // Usage errors say what is wrong.
  assert.match(
    runCli(['simulate', net, '--lr', '0.1']).err,
    /--lr needs --optimizer \(one of sgd, momentum, adam, adamw\)/,
  );
  assert.match(
    runCli(['simulate', net, '--optimizer', 'sgd', '--beta1', '0.9']).err,
    /--beta1 has no effect with --optimizer sgd \(it takes --lr, --weight-decay\)/,
  );
  assert.match(
    runCli(['import', gpt, '--dim', 'seq']).err,
    /--dim takes NAME=N with N a positive integer \(got 'seq'\), e\.g\. --dim seq=128/,
  );
  assert.match(
    runCli(['import', gpt, '--batch', '2']).err,
    /graph input 'input_ids' has a symbolic dimension 'seq' at axis 1; pass --dim seq=N/,
  );
});

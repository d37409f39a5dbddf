// `simulate --format trace`: a Chrome JSON trace that Perfetto and chrome://tracing import. Checked against the
// rules of their JSON importer: microsecond timestamps, non-negative durations, timestamps monotonic per track,
// every thread named, counters monotonic per track, flow events paired and bound inside slices on their threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveTargets } from '../../../server/src/spec/index';
import { simulate } from '../../../server/src/sim/index';
import { chromeTrace, type TraceEvent } from '../../../server/src/cli/trace';
import { networkOf } from '../examples/load';
import { runCli } from './run-cli';
import { join } from 'node:path';

const net = networkOf('resnet18.net.yaml');
const targets = resolveTargets(['ntx', 'h100-sxm', 'gradpim'], []).targets;
const result = simulate(net, targets);
const trace = chromeTrace(result, net);
const ev = trace.traceEvents;

test('one process per target, one named thread per lane; slices carry layer, phase, bound and bytes', () => {
  const procs = ev.filter((e) => e.ph === 'M' && e.name === 'process_name');
  assert.deepEqual(
    procs.map((e) => e.args!.name),
    ['ntx (ntx)', 'h100-sxm (gpu)', 'gradpim (gradpim)'],
  );
  result.targets.forEach((t, i) => {
    const threads = ev
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === i + 1)
      .map((e) => e.args!.name);
    assert.deepEqual(threads, [...new Set(t.timeline.map((x) => x.lane))]);
    const slices = ev.filter((e) => e.ph === 'X' && e.pid === i + 1);
    assert.equal(slices.length, t.timeline.length);
    for (const s of slices) {
      assert.ok(
        typeof s.args!.layer === 'string' && typeof s.args!.phase === 'string' && typeof s.args!.bound === 'string',
      );
      assert.equal(typeof s.args!.bytes, 'object');
    }
  });
});

test('timestamps in microseconds: the last slice of each target ends at its timeline end, durations are non-negative', () => {
  result.targets.forEach((t, i) => {
    const slices = ev.filter((e) => e.ph === 'X' && e.pid === i + 1);
    const end = Math.max(...slices.map((s) => s.ts! + s.dur!));
    const want = Math.max(...t.timeline.map((x) => x.endS)) * 1e6;
    assert.ok(Math.abs(end - want) <= 1e-6 * want, `${t.name}: ${end} us vs ${want} us`);
    assert.ok(slices.every((s) => s.dur! >= 0 && s.ts! >= 0));
    // The whole iteration is milliseconds, i.e. thousands of microseconds (not seconds, not cycles).
    assert.ok(want > 1e3 && want < 1e8, `${t.name}: ${want} us`);
  });
});

test('per track, slice and counter timestamps are monotonic', () => {
  const byTrack = new Map<string, number[]>();
  for (const e of ev) {
    if (e.ph !== 'X' && e.ph !== 'C') continue;
    const k = e.ph === 'X' ? `${e.pid}/${e.tid}` : `${e.pid}/${e.name}`;
    (byTrack.get(k) ?? byTrack.set(k, []).get(k)!).push(e.ts!);
  }
  for (const [k, ts] of byTrack)
    for (let i = 1; i < ts.length; i++) assert.ok(ts[i] >= ts[i - 1], `${k}: ${ts[i]} after ${ts[i - 1]}`);
  // Counters exist for bandwidth per level and power, with finite non-negative values.
  const counters = ev.filter((e) => e.ph === 'C');
  assert.ok(counters.some((c) => c.name === 'bandwidth GB/s') && counters.some((c) => c.name === 'power W'));
  for (const c of counters)
    for (const v of Object.values(c.args!)) assert.ok(Number.isFinite(v as number) && (v as number) >= 0);
});

test('flow events: every start has its finish (same id), both inside slices of their threads, finish bound to the enclosing slice', () => {
  const slicesOf = (pid: number, tid: number) => ev.filter((e) => e.ph === 'X' && e.pid === pid && e.tid === tid);
  const starts = new Map<number, TraceEvent>(),
    ends = new Map<number, TraceEvent>();
  for (const e of ev) {
    if (e.ph === 's') starts.set(e.id!, e);
    if (e.ph === 'f') ends.set(e.id!, e);
  }
  assert.ok(starts.size > 50);
  assert.deepEqual(
    [...starts.keys()].sort((a, b) => a - b),
    [...ends.keys()].sort((a, b) => a - b),
  );
  const inside = (e: TraceEvent) =>
    slicesOf(e.pid, e.tid!).some((s) => e.ts! >= s.ts! - 1e-9 && e.ts! <= s.ts! + s.dur! + 1e-9);
  for (const [id, s] of starts) {
    const f = ends.get(id)!;
    assert.equal(f.bp, 'e');
    assert.ok(f.ts! >= s.ts!, `flow ${id} goes back in time`);
    assert.ok(inside(s) && inside(f), `flow ${id} is not bound to slices`);
  }
});

test('accelmap simulate --format trace writes the same trace as JSON', () => {
  const out = runCli([
    'simulate',
    join(__dirname, '..', '..', '..', 'examples', 'resnet18.net.yaml'),
    '-t',
    'ntx',
    '-f',
    'trace',
    '-q',
  ]);
  assert.equal(out.code, 0, out.err);
  const t = JSON.parse(out.out);
  assert.equal(t.displayTimeUnit, 'ms');
  assert.equal(t.otherData.time_unit, 'us');
  assert.ok(t.traceEvents.filter((e: TraceEvent) => e.ph === 'X').length > 100);
});

// Node unit tests of the pure "SimulationResult -> chart config / table rows" functions of the webview.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ceilings,
  decadeTick,
  intensityRange,
  rooflineConfig,
  rooflinePoints,
  rooflineTooltip,
} from '../../webview/src/charts/roofline';
import { timelineConfig, timelineLanes, timelineTooltip } from '../../webview/src/charts/timeline';
import { num, pct, si, timeUnit, times } from '../../webview/src/format';
import { layerRows, sortLayerRows, summaryRows } from '../../webview/src/tables';
import { paletteFrom, withAlpha } from '../../webview/src/theme';
import { vsBaseline } from '../../webview/src/render/tables';
import { phaseShareTooltip, phaseSplitConfig, phaseTimes } from '../../webview/src/charts/phaseSplit';
import { fixtureResult, FIXTURE_ROOFLINE_POINTS } from './fixtures/result';

const pal = paletteFrom(() => '');
const ntx = () => fixtureResult().targets[1];

describe('format', () => {
  it('writes SI values with three significant digits', () => {
    assert.equal(si(0.012345, 's'), '12.3 ms');
    assert.equal(si(2.646e-4, 's'), '265 µs');
    assert.equal(si(989e12, 'FLOP/s'), '989 TFLOP/s');
    assert.equal(si(2.5e10, 'FLOP/s/W'), '25 GFLOP/s/W');
    assert.equal(si(0, 'J'), '0 J');
    assert.equal(si(1, 'B'), '1 B');
    assert.equal(si(999.9, 'B'), '1 kB'); // rounds up into the next prefix
    assert.equal(si(NaN, 's'), '–');
    assert.equal(pct(0.4567), '45.7 %');
    assert.equal(times(2.345), '2.35×');
    assert.equal(num(3023.4), '3020');
    assert.equal(num(0.012345), '0.0123');
  });
  it('picks a time unit that keeps the span at least 1', () => {
    assert.deepEqual(timeUnit(2.6e-3), { scale: 1e3, label: 'ms' });
    assert.deepEqual(timeUnit(3), { scale: 1, label: 's' });
    assert.deepEqual(timeUnit(5e-7), { scale: 1e9, label: 'ns' });
  });
});

describe('theme', () => {
  it('reads --vscode-* variables and falls back to Dark+', () => {
    const p = paletteFrom((n) => (n === '--vscode-charts-blue' ? ' #123456 ' : ''));
    assert.equal(p.phase.fwd, '#123456');
    assert.equal(p.phase.update, '#89d185');
    assert.equal(withAlpha('#123456', 0.5), '#12345680');
    assert.equal(withAlpha('rgb(1,2,3)', 0.5), 'rgb(1,2,3)');
  });
});

describe('timeline config', () => {
  it('has one row per lane, in lane order, and one dataset per phase', () => {
    const t = ntx();
    assert.deepEqual(timelineLanes(t.timeline), ['offload', 'dma', 'engine:0']);
    const c = timelineConfig(t, pal);
    assert.deepEqual(c.data.labels, ['offload', 'dma', 'engine:0']);
    assert.deepEqual(
      c.data.datasets.map((d) => [d.label, d.data.length]),
      [
        ['forward', 9],
        ['backward (data)', 6],
        ['backward (weight)', 6],
        ['weight update', 6],
      ],
    );
    assert.equal(c.options?.indexAxis, 'y');
    // first event: conv1 forward config on `offload`, [0, 0.1 ms] in ms
    const first = c.data.datasets[0].data[0];
    assert.deepEqual(first.x, [0, 0.1]);
    assert.equal(first.y, 'offload');
    assert.equal(timelineTooltip(first), 'conv1 · forward · config · 100 µs');
    assert.match(String((c.options?.scales?.x as any).title.text), /ms/);
  });
  it('drops malformed events instead of throwing', () => {
    const t = ntx();
    t.timeline.push(
      { lane: 'x', layer: 'l', phase: 'fwd', kind: 'compute', startS: 2, endS: 1 },
      { lane: 'y', layer: 'l', phase: 'nope' as any, kind: 'c', startS: 0, endS: NaN },
    );
    const c = timelineConfig(t, pal);
    assert.deepEqual(c.data.labels, ['offload', 'dma', 'engine:0']);
  });
});

describe('roofline config', () => {
  it('has one point per layer-phase with positive FLOPs, time and intensity', () => {
    const pts = rooflinePoints(ntx());
    assert.equal(pts.length, FIXTURE_ROOFLINE_POINTS);
    const convFwd = pts.find((p) => p.layer === 'conv1' && p.phase === 'fwd')!;
    assert.equal(convFwd.x, 2e9 / 1e7); // intensity = FLOP / DRAM byte
    assert.equal(convFwd.y, 2e9 / 1e-3); // achieved = FLOP / s
    assert.equal(rooflineTooltip(convFwd, ''), 'conv1 · forward: 2 TFLOP/s at 200 FLOP/B (1 ms)');
  });
  it('draws a compute ceiling and a bandwidth ceiling per memory level that meet at the ridge point', () => {
    const t = ntx();
    const cs = ceilings(t);
    assert.deepEqual(
      cs.map((c) => c.label),
      ['peak compute 640 GFLOP/s', 'dram 320 GB/s', 'sram 2.5 TB/s'],
    );
    const c = rooflineConfig(t, pal);
    const dram = c.data.datasets.find((d) => d.label === 'dram 320 GB/s')!;
    const [x0, x1] = intensityRange(rooflinePoints(t), cs);
    assert.deepEqual(dram.data[0], { x: x0, y: 320e9 * x0 });
    assert.deepEqual(dram.data[1], { x: 640e9 / 320e9, y: 640e9 }); // ridge point I = peak / bandwidth = 2 FLOP/B
    assert.ok(x1 > 200);
    assert.equal((c.options?.scales?.x as any).type, 'logarithmic');
    assert.equal((c.options?.scales?.y as any).type, 'logarithmic');
  });
  it('uses one compute ceiling per precision when the simulator gives them', () => {
    const t = ntx();
    (t.peak as any).flopsByPrecision = { fp32: 1e12, bf16: 4e12 };
    assert.deepEqual(
      ceilings(t)
        .filter((c) => c.kind === 'compute')
        .map((c) => c.label),
      ['fp32 compute 1 TFLOP/s', 'bf16 compute 4 TFLOP/s'],
    );
  });
  it('labels only decades on the log axes', () => {
    assert.equal(decadeTick(100), '100');
    assert.equal(decadeTick(0.01), '0.01');
    assert.equal(decadeTick(300), '');
  });
});

describe('tables', () => {
  it('summarises each target, with offload share and the baseline comparison', () => {
    const rows = summaryRows(fixtureResult());
    assert.deepEqual(
      rows.map((r) => [r.name, r.isBaseline, r.speedup]),
      [
        ['h100-sxm', true, null],
        ['ntx', false, 0.1],
      ],
    );
    assert.ok(Math.abs(rows[1].timeS - 2.646e-3) < 1e-12);
    assert.equal(rows[1].offloadShare, 0.25);
    assert.equal(vsBaseline(0.1), '10× slower');
    assert.equal(vsBaseline(2.5), '2.5× faster');
    assert.equal(vsBaseline(null), '–');
  });
  it('sums phases per layer and sorts stably by any column', () => {
    const rows = layerRows(ntx());
    const conv = rows.find((r) => r.name === 'conv1')!;
    assert.ok(Math.abs(conv.timeS - 2.21e-3) < 1e-12);
    assert.equal(conv.phaseS.bwd_data, 0);
    assert.deepEqual(
      sortLayerRows(rows, 'timeS', 'desc').map((r) => r.name),
      ['conv1', 'relu1', 'fc'],
    );
    assert.deepEqual(
      sortLayerRows(rows, 'name', 'asc').map((r) => r.name),
      ['conv1', 'fc', 'relu1'],
    );
    assert.deepEqual(
      sortLayerRows(rows, 'update', 'desc').map((r) => r.name),
      ['conv1', 'fc', 'relu1'],
    ); // 10 µs > 6 µs > none
    assert.deepEqual(
      sortLayerRows(rows, 'bogus', 'asc').map((r) => r.name),
      ['fc', 'relu1', 'conv1'],
    );
  });
});

describe('phase split config', () => {
  it('gives each target the share of every phase in its summed phase time', () => {
    const r = fixtureResult();
    const ph = phaseTimes(r.targets[1]);
    // ntx: fwd 1 + 0.2 + 0.01 ms, bwd_data 0.2 + 0.01, bwd_weight 1.2 + 0.01, update 0.01 + 0.006
    assert.ok(Math.abs(ph.fwd - 1.21e-3) < 1e-12);
    assert.ok(Math.abs(ph.update - 1.6e-5) < 1e-12);
    // read from the totals, not the layers (a decoded result builds its layers only when a view reads them)
    const t = fixtureResult().targets[1];
    t.totals.phaseS = { fwd: 3, bwd_data: 2, bwd_weight: 1, update: 0 };
    Object.defineProperty(t, 'layers', { get: () => assert.fail('the layers were read') });
    assert.deepEqual(phaseTimes(t), { fwd: 3, bwd_data: 2, bwd_weight: 1, update: 0 });
    // a result from before totals carried it: summed over the layers
    const old = fixtureResult().targets[1];
    delete (old.totals as Partial<typeof old.totals>).phaseS;
    assert.ok(Math.abs(phaseTimes(old).fwd - 1.21e-3) < 1e-12);
    const c = phaseSplitConfig(r, pal);
    assert.deepEqual(c.data.labels, ['h100-sxm', 'ntx']);
    assert.deepEqual(
      c.data.datasets.map((d) => d.label),
      ['forward', 'backward (data)', 'backward (weight)', 'weight update'],
    );
    for (const i of [0, 1]) {
      const total = c.data.datasets.reduce((s, d) => s + d.data[i].x, 0);
      assert.ok(Math.abs(total - 1) < 1e-12, `shares of target ${i} sum to ${total}`);
    }
    const fwdNtx = c.data.datasets[0].data[1];
    assert.ok(Math.abs(fwdNtx.x - 1.21 / 2.646) < 1e-9);
    assert.equal(phaseShareTooltip(fwdNtx), 'forward: 45.7 % (1.21 ms)');
    assert.equal((c.options?.scales?.x as any).stacked, true);
  });
});

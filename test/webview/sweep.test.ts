// The Sweep view in Chromium with a real sweep (run here by the server's own code): the Pareto front of the chosen
// objectives equals the front of the full run, dominated points are faded into their own dataset, a point opens as
// a hardware spec, and each axis has its effect chart.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { loadSweep, report } from '../../server/src/lsp/sweepRun';
import { pareto, runSweep, type RunResult } from '../../server/src/sweep/run';
import type { SweepReport } from '../../server/src/sim/types';
import { launch } from './browser';
import { startHarness, type Harness } from './harness/server';

const SPEC = `kind: sweep
name: ntx-alexnet
network: ./alexnet.net.yaml
target: ntx
axes:
  compute.clusters: [8, 16, 32, 64, 128]
  memory.dram_bandwidth: {log: [40 GB/s, 640 GB/s], points: 5}
  batch: [32, 128]
objectives: [samples_per_s, samples_per_j]
`;
let harness: Harness;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let rep: SweepReport;
let full: RunResult;
const dir = mkdtempSync(join(tmpdir(), 'accelmap-sweep-'));

before(async () => {
  for (const f of ['alexnet.net.yaml', 'all-presets.hw.yaml'])
    copyFileSync(join(__dirname, '..', '..', 'examples', f), join(dir, f));
  writeFileSync(join(dir, 's.sweep.yaml'), SPEC);
  const l = loadSweep(join(dir, 's.sweep.yaml'), SPEC);
  assert.ok(!('error' in l));
  if ('error' in l) return;
  full = runSweep(l.spec, l.net, l.target, { format: 'jsonl', keep: true });
  rep = report('file:///ws/s.sweep.yaml', l.spec, l.target, full.rows, {
    total: full.total,
    evaluated: full.evaluated,
    feasible: full.feasible,
    seconds: full.seconds,
    cancelled: false,
  });
  mkdirSync('test-results/webview', { recursive: true });
  harness = await startHarness();
  ({ browser, close: closeBrowser } = await launch());
});
after(async () => {
  await closeBrowser?.();
  await harness?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Sweep view in Chromium', () => {
  it('shows the exact Pareto front of the chosen objectives, fades the rest, opens a point as a spec, plots each axis', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(harness.url('dark'));
    await page.waitForFunction(() => (window as any).__posted?.some((m: any) => m.type === 'ready'));
    // no network result yet: the sweep is shown anyway
    await page.evaluate((r) => window.postMessage({ type: 'sweep', report: r }, '*'), rep as any);
    await page.waitForSelector('[data-testid=sweep-pareto]');
    const frontOf = (a: string, b: string) =>
      pareto(full.rows, a as never, b as never)
        .map((p) => p.i)
        .sort((x, y) => x - y);
    const rows = async () =>
      (
        await page.$$eval('[data-testid=sweep-front] tbody tr', (rs) =>
          rs.map((r) => Number(r.getAttribute('data-index'))),
        )
      ).sort((x, y) => x - y);
    assert.deepEqual(await rows(), frontOf('samples_per_s', 'samples_per_j'));
    const info = [...(await page.evaluate(() => (window as any).__posted))]
      .reverse()
      .find((m: any) => m.type === 'rendered').info;
    assert.equal(info.view, 'sweep');
    assert.equal(info.sweepPoints, rep.points.length);
    assert.equal(info.sweepFront, frontOf('samples_per_s', 'samples_per_j').length);
    const charts = await page.evaluate(() => (window as any).accelmapDebug.charts());
    assert.equal(charts[0].datasets[0].points + charts[0].datasets[1].points, rep.points.length);
    assert.equal(charts.length, 1 + 3, 'the Pareto chart and one effect chart per axis');
    // another pair: time vs energy
    await page.selectOption('[data-testid=sweep-x]', 'time');
    await page.selectOption('[data-testid=sweep-y]', 'energy');
    await page.waitForFunction(
      () =>
        [...(window as any).__posted].reverse().find((m: any) => m.type === 'rendered')?.info.sweepFront !== undefined,
    );
    assert.deepEqual(await rows(), frontOf('time', 'energy'));
    await page.screenshot({ path: 'test-results/webview/sweep-dark.png', fullPage: true });
    // open a front point as a hardware spec
    const first = (await rows())[0];
    await page.click(`[data-testid=sweep-front] tbody tr[data-index="${first}"] [data-testid=open-design]`);
    assert.deepEqual(
      (await page.evaluate(() => (window as any).__posted)).filter((m: any) => m.type === 'openDesign'),
      [{ type: 'openDesign', uri: 'file:///ws/s.sweep.yaml', index: first }],
    );
    // this ntx sweep has no area: the objective pickers do not offer it
    assert.ok(
      !(
        await page.$$eval('[data-testid=sweep-x] option', (os) => os.map((o) => (o as HTMLOptionElement).value))
      ).includes('area'),
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('offers silicon area for a kind with an area model, and draws the time-area front exactly', async () => {
    const spec = `kind: sweep\nname: os-area\nnetwork: ./alexnet.net.yaml\ntarget: os-teaching\naxes:\n  pe.mesh_x: [4, 8, 16]\n  global_buffer.capacity: [64 KiB, 256 KiB]\n  batch: [1]\nobjectives: [time, area]\n`;
    writeFileSync(join(dir, 'a.sweep.yaml'), spec);
    const l = loadSweep(join(dir, 'a.sweep.yaml'), spec);
    assert.ok(!('error' in l));
    if ('error' in l) return;
    const run = runSweep(l.spec, l.net, l.target, { format: 'jsonl', keep: true });
    const r = report('file:///ws/a.sweep.yaml', l.spec, l.target, run.rows, {
      total: run.total,
      evaluated: run.evaluated,
      feasible: run.feasible,
      seconds: run.seconds,
      cancelled: false,
    });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(harness.url('light'));
    await page.waitForFunction(() => (window as any).__posted?.some((m: any) => m.type === 'ready'));
    await page.evaluate((x) => window.postMessage({ type: 'sweep', report: x }, '*'), r as any);
    await page.waitForSelector('[data-testid=sweep-pareto]');
    assert.ok(
      (
        await page.$$eval('[data-testid=sweep-y] option', (os) => os.map((o) => (o as HTMLOptionElement).value))
      ).includes('area'),
    );
    assert.equal(await page.$eval('[data-testid=sweep-y]', (e) => (e as HTMLSelectElement).value), 'area');
    const shown = (
      await page.$$eval('[data-testid=sweep-front] tbody tr', (rs) =>
        rs.map((x) => Number(x.getAttribute('data-index'))),
      )
    ).sort((a, b) => a - b);
    assert.deepEqual(
      shown,
      pareto(run.rows, 'time', 'area')
        .map((p) => p.i)
        .sort((a, b) => a - b),
    );
    assert.match((await page.textContent('[data-testid=sweep-front]')) ?? '', /mm²/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

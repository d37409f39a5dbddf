// The dashboard in headless Chromium: the page VS Code would show (same HTML + CSP), a stubbed acquireVsCodeApi,
// a hand-written SimulationResult posted the way the host posts it. Asserts on what the user would see.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launch } from './browser';
import { startHarness, type Harness } from './harness/server';
import { fixtureResult, FIXTURE_ROOFLINE_POINTS } from './fixtures/result';

const SHOTS = 'test-results/webview';
let harness: Harness;
let browser: Browser;
let closeBrowser: () => Promise<void>;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  harness = await startHarness();
  ({ browser, close: closeBrowser } = await launch());
});
after(async () => {
  await closeBrowser?.();
  await harness?.close();
});

interface Posted {
  type: string;
  [k: string]: unknown;
}

async function open(theme: 'dark' | 'light'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(harness.url(theme));
  await page.waitForFunction(() => (window as any).__posted?.some((m: any) => m.type === 'ready'));
  return { page, errors };
}

const posted = (page: Page): Promise<Posted[]> => page.evaluate(() => (window as any).__posted);
const hostPost = (page: Page, msg: unknown) => page.evaluate((m) => window.postMessage(m, '*'), msg);
const lastRendered = async (page: Page) =>
  [...(await posted(page))].reverse().find((m) => m.type === 'rendered')?.info as any;

/** Pixels of a canvas that are drawn (alpha > 0): chart.js leaves the background transparent. */
const drawnPixels = (page: Page, sel: string) =>
  page.evaluate((s) => {
    const c = document.querySelector(s) as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return { n, w: c.width, h: c.height };
  }, sel);

async function showResult(page: Page): Promise<void> {
  await hostPost(page, {
    type: 'result',
    uri: 'file:///ws/tiny.net.yaml',
    version: 3,
    elapsedMs: 12.5,
    result: fixtureResult(),
  });
  await page.waitForSelector('[data-testid=summary]');
}

async function switchTo(page: Page, view: string): Promise<void> {
  await hostPost(page, { type: 'show', view });
  await page.waitForFunction(
    (v) => document.querySelector(`[role=tab][data-view=${v}]`)?.getAttribute('aria-selected') === 'true',
    view,
  );
}

describe('dashboard webview in Chromium', () => {
  it('handshakes, then shows the summary table with the right numbers', async () => {
    const { page, errors } = await open('dark');
    const first = (await posted(page))[0];
    assert.deepEqual(first, {
      type: 'rendered',
      info: {
        view: 'summary',
        target: null,
        targets: 0,
        layers: 0,
        timelineLanes: 0,
        rooflinePoints: 0,
        mappingPhases: 0,
        explainRows: 0,
      },
    });
    assert.deepEqual(
      (await posted(page)).find((m) => m.type === 'ready'),
      { type: 'ready', restored: false },
    );
    await showResult(page);
    const cells = await page.$$eval('[data-testid=summary] tbody tr', (rows) =>
      rows.map((r) =>
        Object.fromEntries(
          Array.from(r.querySelectorAll('[data-col]')).map((c) => [c.getAttribute('data-col'), c.textContent]),
        ),
      ),
    );
    // ntx: step = 1 + 1.2 + 0.01 + 0.2 + 0.2 + 0.01·3 + 0.006 ms = 2.646 ms; energy = 10 W · t; samples/s = 8 / t.
    assert.deepEqual(cells, [
      {
        name: 'h100-sxm',
        kind: 'gpu',
        time: '265 µs',
        samplesPerS: '30200',
        energy: '2.65 mJ',
        flopsPerW: '25 GFLOP/s/W',
        utilization: '42 %',
        offload: '25 %',
        vsBaseline: 'baseline',
      },
      {
        name: 'ntx',
        kind: 'ntx',
        time: '2.65 ms',
        samplesPerS: '3020',
        energy: '26.5 mJ',
        flopsPerW: '25 GFLOP/s/W',
        utilization: '42 %',
        offload: '25 %',
        vsBaseline: '10× slower',
      },
    ]);
    assert.equal(await page.textContent('[data-testid=network]'), 'tiny-cnn');
    const split = await drawnPixels(page, '[data-testid=phase-split]');
    assert.ok(split.n > 2000, `phase-split canvas has only ${split.n} drawn pixels`);
    assert.match(
      (await page.textContent('[data-testid=notes]')) ?? '',
      /ntx: 1 note and assumptions\s*assumption: weights streamed/,
    );
    assert.equal(
      await page.getAttribute('[data-target=ntx] [data-col=vsBaseline]', 'title'),
      'vs h100-sxm; energy ratio 1.5×',
    );
    await page.screenshot({ path: `${SHOTS}/summary-dark.png` });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('draws the timeline with one row per lane of the chosen target', async () => {
    const { page, errors } = await open('dark');
    await showResult(page);
    await switchTo(page, 'timeline');
    assert.equal(await page.getAttribute('[data-testid=timeline]', 'data-lanes'), 'host,engine:sm');
    await page.selectOption('[data-testid=target]', 'ntx');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=timeline]')?.getAttribute('data-lanes') === 'offload,dma,engine:0',
    );
    const charts = await page.evaluate(() => (window as any).accelmapDebug.charts());
    assert.equal(charts.length, 1);
    assert.deepEqual(charts[0].labels, ['offload', 'dma', 'engine:0']);
    // 9 non-empty phases of ntx; 3 events each (config, compute, dma) -> split by phase: fwd 3 phases, bwd_data 2,
    // bwd_weight 2, update 2.
    assert.deepEqual(charts[0].datasets, [
      { label: 'forward', points: 9 },
      { label: 'backward (data)', points: 6 },
      { label: 'backward (weight)', points: 6 },
      { label: 'weight update', points: 6 },
    ]);
    const px = await drawnPixels(page, '[data-testid=timeline]');
    assert.ok(px.n > 2000, `timeline canvas ${px.w}x${px.h} has only ${px.n} drawn pixels`);
    const info = await lastRendered(page);
    assert.equal(info.target, 'ntx');
    assert.equal(info.timelineLanes, 3);
    await page.screenshot({ path: `${SHOTS}/timeline-dark.png` });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('draws the roofline with one point per layer-phase and a ceiling per memory level', async () => {
    const { page, errors } = await open('light');
    await showResult(page);
    await switchTo(page, 'roofline');
    assert.equal(Number(await page.getAttribute('[data-testid=roofline]', 'data-points')), FIXTURE_ROOFLINE_POINTS);
    const charts = await page.evaluate(() => (window as any).accelmapDebug.charts());
    const scatter = charts[0].datasets.filter((d: any) => !/compute|B\/s/.test(d.label));
    assert.equal(
      scatter.reduce((s: number, d: any) => s + d.points, 0),
      FIXTURE_ROOFLINE_POINTS,
    );
    assert.deepEqual(
      charts[0].datasets.filter((d: any) => /compute|B\/s/.test(d.label)).map((d: any) => d.label),
      ['peak compute 989 TFLOP/s', 'dram 3.35 TB/s', 'sram 33 TB/s'],
    );
    const px = await drawnPixels(page, '[data-testid=roofline]');
    assert.ok(px.n > 2000, `roofline canvas has only ${px.n} drawn pixels`);
    assert.equal((await lastRendered(page)).rooflinePoints, FIXTURE_ROOFLINE_POINTS);
    await page.screenshot({ path: `${SHOTS}/roofline-light.png` });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('sorts the layer table by time and asks the host to reveal a layer', async () => {
    const { page } = await open('dark');
    await showResult(page);
    await switchTo(page, 'layers');
    const names = () =>
      page.$$eval('[data-testid=layers] tbody tr', (rs) => rs.map((r) => r.getAttribute('data-layer')));
    assert.deepEqual(await names(), ['conv1', 'relu1', 'fc']); // default: time, longest first
    await page.click('button[data-sort=timeS]');
    assert.deepEqual(await names(), ['fc', 'relu1', 'conv1']);
    await page.click('button[data-sort=name]');
    assert.deepEqual(await names(), ['relu1', 'fc', 'conv1']); // first click on a new column: descending
    await page.click('[data-layer=fc] button.link');
    assert.deepEqual(
      (await posted(page)).filter((m) => m.type === 'revealLayer'),
      [{ type: 'revealLayer', uri: 'file:///ws/tiny.net.yaml', layer: 'fc' }],
    );
    await page.close();
  });

  it('energy view: the share of each energy component per target and the bytes per memory level', async () => {
    const { page, errors } = await open('dark');
    await showResult(page);
    await switchTo(page, 'energy');
    assert.equal(await page.$('[data-testid=target]'), null, 'the energy view covers every target: no target selector');
    const charts = await page.evaluate(() => (window as any).accelmapDebug.charts());
    assert.equal(charts.length, 1);
    assert.deepEqual(charts[0].labels, ['h100-sxm', 'ntx']);
    assert.deepEqual(
      charts[0].datasets.map((d: any) => [d.label, d.points]),
      [
        ['compute', 2],
        ['on-chip memory', 2],
        ['DRAM / HBM', 2],
        ['links', 2],
        ['control', 2],
        ['static', 2],
      ],
    );
    const px = await drawnPixels(page, '[data-testid=energy-split]');
    assert.ok(px.n > 2000, `energy canvas has only ${px.n} drawn pixels`);
    const r = fixtureResult();
    const levels = [...new Set(r.targets.flatMap((t) => Object.keys(t.totals.bytes)))];
    assert.deepEqual(await page.$$eval('[data-testid=bytes] thead th', (ths) => ths.map((x) => x.textContent)), [
      'target',
      ...levels,
    ]);
    assert.deepEqual(
      await page.$$eval('[data-testid=bytes] tbody tr', (rs) => rs.map((x) => x.getAttribute('data-target'))),
      ['h100-sxm', 'ntx'],
    );
    await page.screenshot({ path: `${SHOTS}/energy-dark.png` });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('compare view: the fastest target of each layer and by how much, wins per target, reveal on click', async () => {
    const { page, errors } = await open('light');
    await showResult(page);
    await switchTo(page, 'compare');
    const r = fixtureResult();
    const total = (t: number, l: string) =>
      r.targets[t].layers.find((x) => x.name === l)!.phases.reduce((s, p) => s + p.timeS, 0);
    const rows = await page.$$eval('[data-testid=compare] tbody tr', (rs) =>
      rs.map((x) => ({
        layer: x.getAttribute('data-layer'),
        winner: x.querySelector('[data-col=winner]')?.textContent,
        margin: x.querySelector('[data-col=margin]')?.textContent,
      })),
    );
    assert.deepEqual(
      rows.map((x) => x.layer),
      r.targets[0].layers.map((l) => l.name),
    );
    for (const row of rows) {
      const a = total(0, row.layer!),
        b = total(1, row.layer!);
      assert.equal(row.winner, a <= b ? 'h100-sxm' : 'ntx');
      assert.equal(
        Number(row.margin!.replace('×', '')).toPrecision(2),
        (Math.max(a, b) / Math.min(a, b)).toPrecision(2),
      );
    }
    const wins = r.targets[0].layers.filter((l) => total(0, l.name) <= total(1, l.name)).length;
    assert.equal(
      await page.textContent('[data-testid=wins]'),
      `fastest on: h100-sxm ${wins} layer${wins === 1 ? '' : 's'} · ntx ${rows.length - wins} layer${rows.length - wins === 1 ? '' : 's'}`,
    );
    await page.click('[data-testid=compare] [data-layer=fc] button.link');
    assert.deepEqual(
      (await posted(page)).filter((m) => m.type === 'revealLayer'),
      [{ type: 'revealLayer', uri: 'file:///ws/tiny.net.yaml', layer: 'fc' }],
    );
    await page.screenshot({ path: `${SHOTS}/compare-light.png` });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('"Export trace…" asks the host for the trace of the shown network', async () => {
    const { page } = await open('dark');
    await showResult(page);
    await page.click('[data-testid=export-trace]');
    assert.deepEqual(
      (await posted(page)).filter((m) => m.type === 'exportTrace'),
      [{ type: 'exportTrace', uri: 'file:///ws/tiny.net.yaml' }],
    );
    await page.close();
  });

  it('"Export report…" asks the host for the report; "Save chart as PNG…" / "SVG…" send the drawn chart as PNG or SVG', async () => {
    const { page } = await open('dark');
    await showResult(page);
    await page.click('[data-testid=export-report]');
    assert.deepEqual(
      (await posted(page)).filter((m) => m.type === 'exportReport'),
      [{ type: 'exportReport', uri: 'file:///ws/tiny.net.yaml' }],
    );
    await switchTo(page, 'roofline');
    await page.click('[data-testid=export-chart]');
    const chart = (await posted(page)).filter((m) => m.type === 'exportChart');
    assert.equal(chart.length, 1);
    assert.equal(chart[0].name, 'roofline');
    const png = Buffer.from(String(chart[0].dataUrl).replace('data:image/png;base64,', ''), 'base64');
    assert.deepEqual([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
    assert.ok(png.length > 5000, `${png.length} bytes`);
    // the same chart as SVG: a vector document with the roofline's axes, ceilings and points as elements
    await page.click('[data-testid=export-chart-svg]');
    const svgMsg = (await posted(page)).filter((m) => m.type === 'exportChart')[1];
    assert.equal(svgMsg.name, 'roofline');
    assert.match(String(svgMsg.dataUrl), /^data:image\/svg\+xml;base64,/);
    const svg = Buffer.from(String(svgMsg.dataUrl).split(',')[1], 'base64').toString('utf8');
    writeFileSync('test-results/webview/roofline.svg', svg);
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok((svg.match(/<path /g) ?? []).length > 10, 'paths for the ceilings, points and grid');
    assert.match(svg, /<text [^>]*>[^<]*FLOP/, 'axis titles as text');
    assert.match(
      svg,
      /<path fill="none" [^>]*d=" M [\d.]+ [\d.]+ L [\d.]+ [\d.]+"[^>]*stroke-dasharray="6,4"/,
      'the dashed bandwidth ceilings, drawn as lines',
    );
    const doc = await page.evaluate((s) => {
      const d = new DOMParser().parseFromString(s, 'image/svg+xml');
      return { err: d.querySelector('parsererror') !== null, w: d.documentElement.getAttribute('width') };
    }, svg);
    assert.equal(doc.err, false, 'well-formed XML');
    assert.ok(Number(doc.w) > 100);
    // the layers table has no chart: no button
    await switchTo(page, 'layers');
    assert.equal(await page.$('[data-testid=export-chart]'), null);
    await page.close();
  });

  it("scaling view: asks the host for a system target's curve once, then draws speed-up, ideal and efficiency with a table", async () => {
    const { page, errors } = await open('dark');
    const r = fixtureResult();
    r.targets[1] = { ...r.targets[1], name: 'my-node', kind: 'system' };
    await hostPost(page, { type: 'result', uri: 'file:///ws/tiny.net.yaml', version: 3, elapsedMs: 12.5, result: r });
    await page.waitForSelector('[data-testid=summary]');
    await switchTo(page, 'scaling');
    assert.match((await page.textContent('[data-testid=scaling-empty]')) ?? '', /h100-sxm is one device/);
    await page.selectOption('[data-testid=target]', 'my-node');
    await page.waitForSelector('[data-testid=scaling-pending]');
    assert.deepEqual(
      (await posted(page)).filter((m) => m.type === 'requestScaling'),
      [{ type: 'requestScaling', uri: 'file:///ws/tiny.net.yaml', target: 'my-node' }],
    );
    const pt = (n: number, eff: number) => ({
      devices: n,
      batch: 8 * n,
      timeS: 0.01 / eff,
      samplesPerS: 800 * n * eff,
      speedup: n * eff,
      efficiency: eff,
      mfu: 0.4 * eff,
      computeS: 0.01,
      exposedCommS: 0.01 / eff - 0.01,
      bubbleS: 0,
      memoryB: 3e9,
      capacityB: 80e9,
      fits: true,
      strategy: { dp: n, tp: 1, pp: 1, microBatches: 1, zero: 0, recompute: false },
    });
    await hostPost(page, {
      type: 'scaling',
      uri: 'file:///ws/tiny.net.yaml',
      target: 'my-node',
      points: [pt(1, 1), pt(2, 0.99), pt(4, 0.97), pt(8, 0.95)],
    });
    await page.waitForSelector('[data-testid=scaling]');
    const charts = await page.evaluate(() => (window as any).accelmapDebug.charts());
    assert.deepEqual(charts[0].datasets, [
      { label: 'speed-up', points: 4 },
      { label: 'ideal', points: 4 },
      { label: 'efficiency', points: 4 },
    ]);
    assert.deepEqual(
      await page.$$eval('[data-testid=scaling-table] tbody tr', (rs) =>
        rs.map((x) => [x.getAttribute('data-devices'), x.querySelector('[data-col=efficiency]')?.textContent]),
      ),
      [
        ['1', '100 %'],
        ['2', '99 %'],
        ['4', '97 %'],
        ['8', '95 %'],
      ],
    );
    const px = await drawnPixels(page, '[data-testid=scaling]');
    assert.ok(px.n > 2000, `scaling canvas has only ${px.n} drawn pixels`);
    // switching away and back does not ask again
    await switchTo(page, 'summary');
    await switchTo(page, 'scaling');
    assert.equal((await posted(page)).filter((m) => m.type === 'requestScaling').length, 1);
    await page.screenshot({ path: `${SHOTS}/scaling-dark.png` });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('copes with a result without targets', async () => {
    const { page, errors } = await open('dark');
    const r = { ...fixtureResult(), targets: [] };
    await hostPost(page, { type: 'result', uri: 'file:///ws/empty.net.yaml', version: 1, elapsedMs: 1, result: r });
    await page.waitForSelector('[data-testid=summary]');
    assert.equal(await page.$$eval('[data-testid=summary] tbody tr', (rs) => rs.length), 0);
    await switchTo(page, 'timeline');
    assert.match((await page.textContent('.view')) ?? '', /No target was simulated/);
    assert.deepEqual(await lastRendered(page), {
      view: 'timeline',
      target: null,
      targets: 0,
      layers: 0,
      timelineLanes: 0,
      rooflinePoints: 0,
      mappingPhases: 0,
      explainRows: 0,
    });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('keeps its state across a reload (getState/setState) and says so in the handshake', async () => {
    const { page } = await open('dark');
    await showResult(page);
    await switchTo(page, 'roofline');
    await page.reload();
    await page.waitForFunction(() => (window as any).__posted?.some((m: any) => m.type === 'ready'));
    assert.deepEqual(
      (await posted(page)).find((m) => m.type === 'ready'),
      { type: 'ready', restored: true },
    );
    const info = await lastRendered(page);
    assert.equal(info.view, 'roofline');
    assert.equal(info.rooflinePoints, FIXTURE_ROOFLINE_POINTS);
    await page.close();
  });

  it('rejects malformed messages, shows errors, and re-themes on a body class change', async () => {
    const { page, errors } = await open('dark');
    await hostPost(page, { type: 'result', uri: 'x', result: { targets: 'nope' } });
    await page.waitForFunction(() => (window as any).__posted.some((m: any) => m.type === 'log'));
    const log = (await posted(page)).find((m) => m.type === 'log');
    assert.equal(log?.level, 'warn');
    assert.match(String(log?.message), /malformed/);
    await hostPost(page, {
      type: 'error',
      uri: 'file:///ws/bad.net.yaml',
      message: 'bad.net.yaml:3:5 unknown key `kernal_size`',
    });
    await page.waitForSelector('[data-testid=error]');
    assert.match((await page.textContent('[data-testid=error]')) ?? '', /kernal_size/);
    await showResult(page);
    await switchTo(page, 'timeline');
    const before = (await posted(page)).filter((m) => m.type === 'rendered').length;
    await page.evaluate(() => {
      document.documentElement.style.setProperty('--vscode-charts-blue', '#00ff00');
      document.body.className = 'vscode-light';
    });
    await page.waitForFunction(
      (n) => (window as any).__posted.filter((m: any) => m.type === 'rendered').length > n,
      before,
    );
    // Re-rendered with the new theme: the forward bars now use the new blue.
    const green = await page.evaluate(() => {
      const c = document.querySelector('[data-testid=timeline]') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 40 && d[i + 1] > 200 && d[i + 2] < 40 && d[i + 3] > 150) n++;
      return n;
    });
    assert.ok(green > 50, `expected the re-themed green bars, found ${green} green pixels`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

// The Mapping view in Chromium with a real simulator result and a real accelmap/mapping answer (built in this
// process by the server's own mappingReport): a spatial target's phases with their loop nests, occupancy tables and
// access-energy charts; NTX's own choice per phase; the layer picker asks the host for another layer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { simulate } from '../../server/src/sim/index';
import type { MappingReport, SimulationResult } from '../../server/src/sim/types';
import { chooseTargets, loadNetwork } from '../../server/src/cli/load';
import { mappingReport } from '../../server/src/lsp/mappingView';
import { launch } from './browser';
import { startHarness, type Harness } from './harness/server';

const NET = `kind: network
name: tiny
batch_size: 8
precision: fp32
input_shape: [3, 32, 32]
targets: [eyeriss-like, ntx]
layers:
  - {name: conv1, type: conv2d, out_channels: 16, kernel_size: 3, padding: 1}
  - {name: relu1, type: relu}
  - {name: conv2, type: conv2d, out_channels: 32, kernel_size: 3, padding: 1}
  - {name: pool, type: global_avgpool}
  - {name: flat, type: flatten}
  - {name: fc, type: linear, out_features: 10}
`;
const URI = 'file:///ws/tiny.net.yaml';
let harness: Harness;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let result: SimulationResult;
const reports: Record<string, MappingReport> = {};
const dir = mkdtempSync(join(tmpdir(), 'accelmap-mapping-'));

before(async () => {
  writeFileSync(join(dir, 'tiny.net.yaml'), NET);
  const { network } = loadNetwork(join(dir, 'tiny.net.yaml'));
  const { targets } = chooseTargets(join(dir, 'tiny.net.yaml'), network, [], []);
  result = simulate(network, targets);
  for (const layer of ['conv1', 'conv2', 'relu1']) {
    const r = mappingReport(URI, network, result, targets, layer);
    assert.ok(!('error' in r), layer);
    reports[layer] = r as MappingReport;
  }
  mkdirSync('test-results/webview', { recursive: true });
  harness = await startHarness();
  ({ browser, close: closeBrowser } = await launch());
});
after(async () => {
  await closeBrowser?.();
  await harness?.close();
  rmSync(dir, { recursive: true, force: true });
});

const posted = (page: Page): Promise<any[]> => page.evaluate(() => (window as any).__posted);
const hostPost = (page: Page, msg: unknown) => page.evaluate((m) => window.postMessage(m, '*'), msg as any);
const requests = async (page: Page) => (await posted(page)).filter((m) => m.type === 'requestMapping');

describe('Mapping view in Chromium', () => {
  it("asks for the slowest mapped layer, then shows each phase's loop nest, occupancy and access energy; the picker asks for another layer", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(harness.url('dark'));
    await page.waitForFunction(() => (window as any).__posted?.some((m: any) => m.type === 'ready'));
    await hostPost(page, { type: 'result', uri: URI, version: 1, elapsedMs: 20, result });
    await page.waitForSelector('[data-testid=summary]');
    await hostPost(page, { type: 'show', view: 'mapping' });
    await page.waitForSelector('[data-testid=mapping-pending]');
    // the slowest layer with a mapping on eyeriss-like comes first
    const eyeriss = result.targets.find((t) => t.name === 'eyeriss-like')!;
    const mapped = eyeriss.layers
      .filter((l) => l.phases.some((p) => p.mapping))
      .sort((a, b) => b.phases.reduce((s, p) => s + p.timeS, 0) - a.phases.reduce((s, p) => s + p.timeS, 0));
    assert.deepEqual(
      await page.$$eval('[data-testid=mapping-layer] option', (os) => os.map((o) => (o as HTMLOptionElement).value)),
      mapped.map((l) => l.name),
    );
    const first = mapped[0].name;
    assert.deepEqual(await requests(page), [{ type: 'requestMapping', uri: URI, layer: first }]);
    await hostPost(page, { type: 'mapping', uri: URI, layer: first, report: reports[first] });
    await page.waitForSelector('[data-testid=mapping-phase]');
    const view = reports[first].targets.find((t) => t.target === 'eyeriss-like')!;
    const sections = await page.$$eval('[data-testid=mapping-phase]', (ss) =>
      ss.map((s) => [s.getAttribute('data-phase'), s.getAttribute('data-status')]),
    );
    assert.deepEqual(
      sections,
      view.phases.map((p) => [p.phase, p.status]),
    );
    assert.ok(sections.length >= 3, `phases ${sections.length}`);
    // the loop nest as the server wrote it, and one occupancy row per storage level
    assert.deepEqual(
      await page.$$eval('[data-testid=loop-nest]', (ps) => ps.map((p) => p.textContent)),
      view.phases.map((p) => p.loopNest!.join('\n')),
    );
    assert.deepEqual(
      await page.$$eval('[data-testid=mapping-phase]:first-of-type [data-testid=mapping-occupancy] tbody tr', (rs) =>
        rs.map((r) => r.getAttribute('data-level')),
      ),
      ['dram', 'global_buffer', 'pe_buffer'],
    );
    assert.equal(await page.$$eval('[data-testid=mapping-chart]', (cs) => cs.length), view.phases.length);
    const info = [...(await posted(page))].reverse().find((m) => m.type === 'rendered').info;
    assert.equal(info.view, 'mapping');
    assert.equal(info.mappingPhases, view.phases.length);
    // the chart's datasets: one per tensor role, one bar per level
    const charts = await page.evaluate(() => (window as any).accelmapDebug.charts());
    assert.ok(charts.length >= view.phases.length);
    await page.screenshot({ path: 'test-results/webview/mapping-dark.png', fullPage: true });

    // another layer: asked once, answered, shown; switching back uses a new answer again (one request each)
    const other = mapped.find((l) => l.name !== first)!.name;
    await page.selectOption('[data-testid=mapping-layer]', other);
    await page.waitForSelector('[data-testid=mapping-pending]');
    assert.deepEqual(
      (await requests(page)).map((m) => m.layer),
      [first, other],
    );
    await hostPost(page, { type: 'mapping', uri: URI, layer: other, report: reports[other] });
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=mapping-phase]').length === n,
      reports[other].targets[0].phases.length,
    );

    // NTX: its model's own choice per phase, in a table
    await page.selectOption('[data-testid=target]', 'ntx');
    await page.waitForSelector('[data-testid=mapping-choices]');
    const ntx = reports[other].targets.find((t) => t.target === 'ntx')!;
    const rows = await page.$$eval('[data-testid=mapping-choices] tbody tr', (rs) =>
      rs.map((r) => [r.getAttribute('data-phase'), r.querySelector('td')?.textContent]),
    );
    assert.deepEqual(
      rows,
      ntx.phases.map((p) => [p.phase, p.summary]),
    );
    assert.match(rows[0][1] ?? '', /^output tile \d+x\d+, reduction chunk \d+/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('an answer with an error is shown as an alert; a layer without loop nests says so', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await page.goto(harness.url('light'));
    await page.waitForFunction(() => (window as any).__posted?.some((m: any) => m.type === 'ready'));
    await hostPost(page, { type: 'result', uri: URI, version: 1, elapsedMs: 20, result });
    await page.waitForSelector('[data-testid=summary]');
    await hostPost(page, { type: 'show', view: 'mapping' });
    await page.waitForSelector('[data-testid=mapping-pending]');
    const layer = (await requests(page))[0].layer;
    await hostPost(page, { type: 'mapping', uri: URI, layer, error: 'The network has changed since the last run.' });
    assert.equal(await page.textContent('[role=alert]'), 'The network has changed since the last run.');
    // a malformed report is refused by the protocol check, not rendered
    await hostPost(page, { type: 'mapping', uri: URI, layer, report: { targets: 'nope' } });
    assert.equal(await page.textContent('[role=alert]'), 'The network has changed since the last run.');
    // relu1 has no loop nest on eyeriss-like: the report's note is shown
    const relu = reports.relu1.targets.find((t) => t.target === 'eyeriss-like')!;
    assert.equal(relu.phases.length, 0);
    assert.ok(relu.note);
    await page.close();
  });
});

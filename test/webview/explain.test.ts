// The Explain view in Chromium with a real simulator result and real accelmap/explain answers (built in this process
// by the server's own explainReport): the whole step first, then a layer's terms with their arithmetic and the knobs
// ranked with their sources; the view asks the host once per (target, layer).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { resolveTargets } from '../../server/src/spec/index';
import { simulate } from '../../server/src/sim/index';
import type { ExplainReport, SimulationResult } from '../../server/src/sim/types';
import { explainReport } from '../../server/src/lsp/explainView';
import { networkOf } from '../unit/examples/load';
import { launch } from './browser';
import { startHarness, type Harness } from './harness/server';

const URI = 'file:///ws/resnet18.net.yaml';
let harness: Harness;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let result: SimulationResult;
let step: ExplainReport, layer: ExplainReport;
let slowest: string;

before(async () => {
  const net = networkOf('resnet18.net.yaml');
  const targets = resolveTargets(['ntx', 'h100-sxm'], []).targets;
  result = simulate(net, targets);
  const ntx = result.targets[0];
  slowest = [...ntx.layers].sort(
    (a, b) => b.phases.reduce((s, p) => s + p.timeS, 0) - a.phases.reduce((s, p) => s + p.timeS, 0),
  )[0].name;
  step = explainReport(net, result, targets, 'ntx', {}) as ExplainReport;
  layer = explainReport(net, result, targets, 'ntx', { layer: slowest }) as ExplainReport;
  mkdirSync('test-results/webview', { recursive: true });
  harness = await startHarness();
  ({ browser, close: closeBrowser } = await launch());
});
after(async () => {
  await closeBrowser?.();
  await harness?.close();
});

const posted = (page: Page): Promise<any[]> => page.evaluate(() => (window as any).__posted);
const hostPost = (page: Page, msg: unknown) => page.evaluate((m) => window.postMessage(m, '*'), msg as any);

describe('Explain view in Chromium', () => {
  it('the whole step, then the slowest layer: terms with their arithmetic, the knobs ranked with sources, one request each', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(harness.url('dark'));
    await page.waitForFunction(() => (window as any).__posted?.some((m: any) => m.type === 'ready'));
    await hostPost(page, { type: 'result', uri: URI, version: 1, elapsedMs: 20, result });
    await page.waitForSelector('[data-testid=summary]');
    await hostPost(page, { type: 'show', view: 'explain' });
    await page.waitForSelector('[data-testid=explain-pending]');
    assert.deepEqual(
      (await posted(page)).filter((m) => m.type === 'requestExplain'),
      [{ type: 'requestExplain', uri: URI, target: 'ntx', layer: '' }],
    );
    await hostPost(page, { type: 'explain', uri: URI, target: 'ntx', layer: '', report: step });
    await page.waitForSelector('[data-testid=explain-sensitivities]');
    const moving = step.sensitivities.filter((x) => x.time !== 0 || x.energy !== 0);
    const rows = await page.$$eval('[data-testid=explain-sensitivities] tbody tr', (rs) =>
      rs.map((r) => [r.getAttribute('data-path'), r.querySelector('[data-col=time]')?.textContent]),
    );
    assert.deepEqual(
      rows,
      moving.map((x) => [x.path, `${x.time >= 0 ? '+' : ''}${x.time.toFixed(3)}`]),
    );
    assert.match(
      (await page.textContent('[data-testid=explain-sensitivities] tbody tr:first-child')) ?? '',
      /(SRC|DER|REC|ASM) (preset|kind default)/,
    );
    const info = [...(await posted(page))].reverse().find((m) => m.type === 'rendered').info;
    assert.equal(info.view, 'explain');
    assert.equal(info.explainRows, moving.length);
    const charts = await page.evaluate(() => (window as any).accelmapDebug.charts());
    assert.deepEqual(
      charts[0].datasets.map((d: any) => [d.label, d.points]),
      [
        ['time elasticity', Math.min(12, moving.length)],
        ['energy elasticity', Math.min(12, moving.length)],
      ],
    );

    // the slowest layer: its phases' formulas
    await page.selectOption('[data-testid=explain-layer]', slowest);
    await page.waitForSelector('[data-testid=explain-pending]');
    assert.deepEqual(
      (await posted(page)).filter((m) => m.type === 'requestExplain').map((m) => m.layer),
      ['', slowest],
    );
    await hostPost(page, { type: 'explain', uri: URI, target: 'ntx', layer: slowest, report: layer });
    await page.waitForSelector('[data-testid=explain-terms]');
    const terms = await page.$$eval('[data-testid=explain-terms] tbody tr', (rs) =>
      rs.map((r) => [
        r.getAttribute('data-phase'),
        Array.from(r.querySelectorAll('ul.formulas li:not(.meta)'), (li) => li.textContent),
      ]),
    );
    assert.deepEqual(
      terms,
      layer.phases.map((p) => [p.phase, p.formulas]),
    );
    assert.match(
      terms[0][1]![0]!,
      /^compute [\d.]+ [µmn]?s = [\d.]+ [kMGT]?FLOP at [\d.]+ [kMGT]?FLOP\/s \(\d+(\.\d)?% of the .* peak\)$/,
    );
    await page.screenshot({ path: 'test-results/webview/explain-dark.png', fullPage: true });
    // another target asks again; an error answer is an alert
    await page.selectOption('[data-testid=target]', 'h100-sxm');
    await page.waitForSelector('[data-testid=explain-pending]');
    assert.deepEqual((await posted(page)).filter((m) => m.type === 'requestExplain').at(-1), {
      type: 'requestExplain',
      uri: URI,
      target: 'h100-sxm',
      layer: slowest,
    });
    await hostPost(page, {
      type: 'explain',
      uri: URI,
      target: 'h100-sxm',
      layer: slowest,
      error: 'Nothing simulated yet for this document.',
    });
    assert.equal(await page.textContent('[role=alert]'), 'Nothing simulated yet for this document.');
    assert.deepEqual(errors, []);
    await page.close();
  });
});

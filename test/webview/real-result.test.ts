// The dashboard with a real simulator result: `accelmap simulate examples/alexnet.net.yaml --format json`
// (dist/cli.js, built by `npm run test:webview`). Checks every target's table row, timeline lanes and roofline
// point count against the JSON itself.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { SimulationResult } from '../../server/src/sim/types';
import { launch } from './browser';
import { startHarness, type Harness } from './harness/server';
import { si } from '../../webview/src/format';

const CLI = 'dist/cli.js';
let harness: Harness;
let browser: Browser;
let closeBrowser: () => Promise<void>;
let result: SimulationResult;

before(async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build (npm run test:webview does)`);
  result = JSON.parse(
    execFileSync(process.execPath, [CLI, 'simulate', 'examples/alexnet.net.yaml', '--format', 'json'], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }),
  );
  mkdirSync('test-results/webview', { recursive: true });
  harness = await startHarness();
  ({ browser, close: closeBrowser } = await launch());
});
after(async () => {
  await closeBrowser?.();
  await harness?.close();
});

const rendered = (page: Page) =>
  page.evaluate(() => [...(window as any).__posted].reverse().find((m: any) => m.type === 'rendered')?.info);

describe('dashboard with the simulator result of alexnet (every default target)', () => {
  it('shows every target with the numbers of the JSON, its lanes and one roofline point per layer-phase', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(harness.url('dark'));
    await page.waitForFunction(() => (window as any).__posted?.some((m: any) => m.type === 'ready'));
    await page.evaluate(
      (r) =>
        window.postMessage(
          { type: 'result', uri: 'file:///ws/alexnet.net.yaml', version: 1, elapsedMs: 40, result: r },
          '*',
        ),
      result as any,
    );
    await page.waitForSelector('[data-testid=summary]');
    const rows = await page.$$eval('[data-testid=summary] tbody tr', (rs) =>
      rs.map((r) => [
        r.getAttribute('data-target'),
        r.querySelector('[data-col=time]')?.textContent,
        r.querySelector('[data-col=energy]')?.textContent,
      ]),
    );
    assert.deepEqual(
      rows,
      result.targets.map((t) => [t.name, si(t.totals.timeS, 's'), si(t.totals.energyJ, 'J')]),
    );
    assert.equal(await page.textContent('[data-testid=network]'), 'alexnet');
    await page.screenshot({ path: 'test-results/webview/alexnet-summary.png' });

    for (const view of ['timeline', 'roofline'] as const) {
      await page.evaluate((v) => window.postMessage({ type: 'show', view: v }, '*'), view);
      for (const t of result.targets) {
        await page.selectOption('[data-testid=target]', t.name);
        await page.waitForFunction(
          ([name, v]) => {
            const i = [...(window as any).__posted].reverse().find((m: any) => m.type === 'rendered')?.info;
            return i?.target === name && i?.view === v;
          },
          [t.name, view],
        );
        const info = await rendered(page);
        if (view === 'timeline') {
          assert.equal(info.timelineLanes, new Set(t.timeline.map((e) => e.lane)).size, `${t.name} lanes`);
        } else {
          const expected = t.layers.reduce(
            (n, l) => n + l.phases.filter((p) => p.flops > 0 && p.timeS > 0 && p.intensity > 0).length,
            0,
          );
          assert.equal(info.rooflinePoints, expected, `${t.name} roofline points`);
        }
      }
      await page.screenshot({ path: `test-results/webview/alexnet-${view}.png` });
    }
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe("dashboard with a system target's result (BERT-base on a DGX H100 node, tp 2 x pp 2 x dp 2)", () => {
  it("the timeline has the step's own lanes: compute, the pipeline bubble, each exposed collective and the optimizer", async () => {
    const spec = 'test-results/webview/bert-pp.net.yaml';
    writeFileSync(
      spec,
      readFileSync('examples/bert-base.net.yaml', 'utf8')
        .replace(/^hardware:.*$/m, '')
        .replace(/^batch_size: 32$/m, 'batch_size: 32\nparallel: {tp: 2, pp: 2, micro_batches: 4}'),
    );
    const r: SimulationResult = JSON.parse(
      execFileSync(process.execPath, [CLI, 'simulate', spec, '-t', 'dgx-h100', '--format', 'json'], {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      }),
    );
    const t = r.targets[0];
    const lanes = [...new Set(t.timeline.map((e) => e.lane))];
    assert.ok(
      lanes.includes('bubble') && lanes.some((l) => l.startsWith('comm:')) && lanes.includes('engine:optimizer'),
      lanes.join(),
    );
    assert.match(
      t.findings.find((f) => f.code === 'system.step')!.message,
      /8 devices as dp 2 x tp 2 x pp 2, 4 micro-batches/,
    );
    const page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(harness.url('dark'));
    await page.waitForFunction(() => (window as any).__posted?.some((m: any) => m.type === 'ready'));
    await page.evaluate(
      (x) =>
        window.postMessage(
          { type: 'result', uri: 'file:///ws/bert-pp.net.yaml', version: 1, elapsedMs: 40, result: x },
          '*',
        ),
      r as any,
    );
    await page.evaluate(() => window.postMessage({ type: 'show', view: 'timeline' }, '*'));
    await page.waitForFunction(() => document.querySelector('[data-testid=timeline]')?.getAttribute('data-lanes'));
    assert.deepEqual(
      (await page.getAttribute('[data-testid=timeline]', 'data-lanes'))!.split(',').sort(),
      [...lanes].sort(),
    );
    await page.screenshot({ path: 'test-results/webview/system-timeline.png' });
    assert.deepEqual(errors, []);
    await page.close();
  });
});

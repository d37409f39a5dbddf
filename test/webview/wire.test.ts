// The dashboard decodes the server's wire form itself (webview/src/wire.ts, DecompressionStream in Chromium): the
// host posts the columns as they came, and the tables show the numbers of the result they encode — here a real
// 10,000-layer result on six targets (~3.6 MB of columns, ~150 MB as objects), timed to the first paint.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { resolveTargets } from '../../server/src/spec/index';
import { simulate } from '../../server/src/sim/index';
import { encodeResult } from '../../server/src/lsp/resultWire';
import type { SimulationResult } from '../../server/src/sim/types';
import { deepChain } from '../unit/sim/nets';
import { networkOf } from '../unit/examples/load';
import { si } from '../../webview/src/format';
import { launch } from './browser';
import { startHarness, type Harness } from './harness/server';

let harness: Harness;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const SIX = ['ntx', 'caterpillar-small', 'gradpim', 'neurotrainer', 'imc-radix4', 'h100-sxm'];

before(async () => {
  harness = await startHarness();
  ({ browser, close: closeBrowser } = await launch());
});
after(async () => {
  await closeBrowser?.();
  await harness?.close();
});

async function open(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(harness.url('dark'));
  await page.waitForFunction(() => (window as any).__posted?.some((m: any) => m.type === 'ready'));
  return { page, errors };
}
const summaryRows = (page: Page) =>
  page.$$eval('[data-testid=summary] tbody tr', (rs) =>
    rs.map((r) => [
      r.getAttribute('data-target'),
      r.querySelector('[data-col=time]')?.textContent,
      r.querySelector('[data-col=energy]')?.textContent,
    ]),
  );
const expected = (r: SimulationResult) =>
  r.targets.map((t) => [t.name, si(t.totals.timeS, 's'), si(t.totals.energyJ, 'J')]);

describe('the dashboard decodes the wire form', () => {
  it('ResNet-18 on six targets: the summary and the layer table show the encoded numbers', async () => {
    const r = simulate(networkOf('resnet18.net.yaml'), resolveTargets(SIX, []).targets);
    const wire = JSON.parse(JSON.stringify(encodeResult(r)));
    const { page, errors } = await open();
    await page.evaluate((m) => window.postMessage(m, '*'), {
      type: 'resultWire',
      uri: 'file:///ws/resnet18.net.yaml',
      version: 2,
      elapsedMs: 9,
      wire,
    } as any);
    await page.waitForSelector('[data-testid=summary]');
    assert.deepEqual(await summaryRows(page), expected(r));
    await page.evaluate(() => window.postMessage({ type: 'show', view: 'timeline' }, '*'));
    await page.waitForFunction(
      () => [...(window as any).__posted].reverse().find((m: any) => m.type === 'rendered')?.info.view === 'timeline',
    );
    const info = [...(await page.evaluate(() => (window as any).__posted))]
      .reverse()
      .find((m: any) => m.type === 'rendered').info;
    assert.equal(info.timelineLanes, new Set(r.targets[0].timeline.map((e) => e.lane)).size);
    // a malformed wire is refused (logged), the shown result stays
    await page.evaluate(() =>
      window.postMessage(
        {
          type: 'resultWire',
          uri: 'file:///ws/x.net.yaml',
          version: 3,
          elapsedMs: 1,
          wire: { wire: 2, network: {}, layers: {}, targets: [{ phases: { count: '~!!' } }] },
        },
        '*',
      ),
    );
    await page.waitForFunction(() =>
      (window as any).__posted.some((m: any) => m.type === 'log' && /could not decode the result/.test(m.message)),
    );
    assert.equal(await page.textContent('[data-testid=network]'), 'resnet18');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a 10,000-layer network on six targets: from the wire message to the summary drawn', async () => {
    const r = simulate(deepChain(10000), resolveTargets(SIX, []).targets);
    const text = JSON.stringify(encodeResult(r));
    assert.ok(text.length < 10e6, `${(text.length / 1e6).toFixed(1)} MB on the wire`);
    const { page, errors } = await open();
    await page.evaluate((t) => {
      (window as any).__wire = JSON.parse(t);
    }, text);
    const ms = (await page.evaluate(`new Promise((res) => {
      const t0 = performance.now();
      window.postMessage({ type: 'resultWire', uri: 'file:///ws/deep.net.yaml', version: 1, elapsedMs: 1, wire: window.__wire }, '*');
      const poll = () => (document.querySelector('[data-testid=summary]') ? res(performance.now() - t0) : requestAnimationFrame(poll));
      poll();
    })`)) as number;
    console.log(
      `  10,000 layers x 6 targets: ${(text.length / 1e6).toFixed(2)} MB wire message -> summary drawn in ${ms.toFixed(0)} ms`,
    );
    assert.deepEqual(await summaryRows(page), expected(r));
    assert.deepEqual(errors, []);
    await page.close();
  });
});

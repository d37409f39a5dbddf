// Language-server figures, measured on the bundled server (dist/server.js) over stdio:
// - resident memory (VmRSS of the server process, /proc/<pid>/status) idle, with ResNet-50 open, and with a
//   generated 10,000-layer network open as well;
// - didChange -> publishDiagnostics latency minus the debounce delay, median over several edits;
// - accelmap/simulate on ResNet-50 (server-side elapsedMs) and hover latency on the 10,000-layer network.
// Goals are ours (ASM): an edit should show its diagnostics within a frame or two after the debounce on a typical
// network, and within a few hundred ms on an extreme one.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchRow } from './run';
import { TestClient, fileUri, ROOT } from '../test/lsp/client';
import { workspace } from '../test/lsp/fixtures';

export const name = 'language server (bundled, stdio)';

const DELAY_MS = 20;

function rssMiB(pid: number | undefined): number {
  if (!pid) return NaN;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** 10,000 layers: linear/relu pairs on a 256-feature vector. */
export function bigNetwork(layers = 10_000): string {
  const out = ['kind: network', 'name: big', 'batch_size: 32', 'input_shape: [256]', 'targets: [ntx]', 'layers:'];
  for (let i = 0; i < layers; i++) {
    out.push(i % 2 ? `  - {name: r${i}, type: relu}` : `  - {name: fc${i}, type: linear, out_features: 256}`);
  }
  return out.join('\n') + '\n';
}

/** Median time from a didChange to the publishDiagnostics of that version, minus the debounce. */
async function editLatency(c: TestClient, uri: string, text: string, edits: number, line: number): Promise<number> {
  const times: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < edits; i++) {
    const mark = c.mark();
    const t0 = performance.now();
    // Replace the line with itself plus a trailing comment that changes each time (a real edit, same model).
    const v = c.edit(
      uri,
      { start: { line, character: 0 }, end: { line, character: lines[line].length } },
      `${lines[line]} # edit ${i}`,
    );
    await c.diagnostics(uri, v, mark);
    times.push(performance.now() - t0 - DELAY_MS);
  }
  return median(times);
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const resnetPath = join(ROOT, 'examples', 'resnet50.net.yaml');
  if (!existsSync(resnetPath)) return [{ metric: 'skipped: examples/resnet50.net.yaml missing', value: 0, unit: '' }];
  const ws = workspace({});
  // The examples folder is the workspace: ResNet-50 names its hardware file relative to itself.
  // accelmap.targets: what ResNet-50 (which names none) is simulated on when saved — the six seed and GPU presets
  const SIX = ['ntx', 'caterpillar-small', 'gradpim', 'neurotrainer', 'imc-radix4', 'h100-sxm'];
  const c = await TestClient.start({
    workspace: join(ROOT, 'examples'),
    settings: { validate: { delayMs: DELAY_MS }, targets: SIX },
  });
  try {
    const pid = c.proc.pid;
    rows.push({ metric: 'RSS idle after initialize', value: rssMiB(pid), unit: 'MiB' });

    const resnetText = readFileSync(resnetPath, 'utf8');
    const resnet = fileUri(resnetPath);
    let mark = c.mark();
    c.open(resnet, resnetText);
    const first = await c.diagnostics(resnet, 1, mark);
    const errors = first.diagnostics.filter((d) => d.severity === 1);
    if (errors.length)
      throw new Error(
        `examples/resnet50.net.yaml has errors: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}`,
      );
    const resnetLine = resnetText.split('\n').findIndex((l) => l.includes('name: conv1'));
    rows.push({
      metric: 'didChange -> diagnostics, ResNet-50 (median of 15, minus debounce)',
      value: await editLatency(c, resnet, resnetText, 15, resnetLine),
      unit: 'ms',
      goal: '< 50 ms',
      ok: undefined,
    });
    const sims: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = await c.request<{ elapsedMs: number; error?: string }>('accelmap/simulate', {
        uri: resnet,
        targets: ['ntx'],
      });
      wall.push(performance.now() - t0);
      if (r.error) throw new Error(`simulate failed: ${r.error}`);
      sims.push(r.elapsedMs);
    }
    rows.push({
      metric: 'accelmap/simulate ResNet-50 on ntx, server time (median of 5)',
      value: median(sims),
      unit: 'ms',
    });
    rows.push({
      metric: 'accelmap/simulate ResNet-50 on ntx, round trip, result as objects (median of 5)',
      value: median(wall),
      unit: 'ms',
    });
    const wallWire: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = await c.request<{ wire?: unknown; error?: string }>('accelmap/simulate', {
        uri: resnet,
        targets: ['ntx'],
        form: 'wire',
      });
      wallWire.push(performance.now() - t0);
      if (r.error || !r.wire) throw new Error(`simulate failed: ${r.error ?? 'no wire form'}`);
    }
    rows.push({
      metric: "accelmap/simulate ResNet-50 on ntx, round trip, form: 'wire' (median of 5)",
      value: median(wallWire),
      unit: 'ms',
      note: 'what the extension asks for: the run notification carries the same wire',
    });
    // save -> inlay hints: the save simulates ResNet-50 on the six seed and GPU presets; the server asks
    // the editor to refresh its hints, the editor asks for them: the time until they arrive, as an editor sees it
    const lines = resnetText.split('\n');
    const saves: number[] = [];
    for (let i = 0; i < 15; i++) {
      const m = c.mark();
      const v = c.edit(
        resnet,
        { start: { line: resnetLine, character: 0 }, end: { line: resnetLine, character: lines[resnetLine].length } },
        `${lines[resnetLine]} # save ${i}`,
      );
      await c.diagnostics(resnet, v, m);
      const n0 = c.serverRequests.length;
      const t0 = performance.now();
      c.save(resnet);
      while (!c.serverRequests.slice(n0).some((r) => r.method === 'workspace/inlayHint/refresh')) {
        if (performance.now() - t0 > 20_000) throw new Error('no inlay hint refresh within 20 s of the save');
        await new Promise((res) => setImmediate(res));
      }
      const hints = await c.request<unknown[]>('textDocument/inlayHint', {
        textDocument: { uri: resnet },
        range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } },
      });
      if (!hints?.length) throw new Error('no inlay hints after the save');
      saves.push(performance.now() - t0);
    }
    rows.push({
      metric: 'save -> inlay hints, ResNet-50 on 6 targets (median of the last 10 of 15 saves)',
      value: median(saves.slice(5)),
      unit: 'ms',
      goal: '< 50 ms',
    });
    rows.push({
      metric: 'RSS with ResNet-50 open (after edits and runs)',
      value: rssMiB(pid),
      unit: 'MiB',
      goal: '< 150 MiB',
    });

    const bigText = bigNetwork();
    const big = fileUri(join(ws, 'big.net.yaml'));
    mark = c.mark();
    const t0 = performance.now();
    c.open(big, bigText);
    await c.diagnostics(big, 1, mark);
    rows.push({ metric: 'didOpen -> diagnostics, 10,000-layer network', value: performance.now() - t0, unit: 'ms' });
    const bigLine = 6 + 5000;
    rows.push({
      metric: 'didChange -> diagnostics, 10,000 layers (median of 7, minus debounce)',
      value: await editLatency(c, big, bigText, 7, bigLine),
      unit: 'ms',
      goal: '< 300 ms',
    });
    const hov: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t1 = performance.now();
      await c.request('textDocument/hover', {
        textDocument: { uri: big },
        position: { line: 6 + 9000 + i, character: 12 },
      });
      hov.push(performance.now() - t1);
    }
    rows.push({
      metric: 'hover on the 10,000-layer network (median of 7)',
      value: median(hov),
      unit: 'ms',
      goal: '< 100 ms',
    });
    rows.push({
      metric: 'RSS with ResNet-50 and the 10,000-layer network open',
      value: rssMiB(pid),
      unit: 'MiB',
      goal: '< 400 MiB',
    });
  } finally {
    await c.stop();
  }
  for (const r of rows) {
    const m = r.goal && /^< ([\d.]+)/.exec(r.goal);
    if (m) r.ok = r.value < Number(m[1]);
  }
  return rows;
}

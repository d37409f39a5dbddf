// accelmap sweep (issue 11's goal): 1,000,000 design points of ResNet-50 on the NTX kind (clusters x DRAM bandwidth x
// TCDM size x DRAM efficiency) through the bundled CLI on all cores, results streamed to a CSV; and the same sweep's
// single-thread rate on a 10,000-point slice.
import { mkdtempSync, copyFileSync, writeFileSync, statSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir, availableParallelism } from 'node:os';
import type { BenchRow } from './run';

export const name = 'design-space sweep';

const SPEC = (points: string) => `kind: sweep
network: ./resnet50.net.yaml
target: ntx
axes:
  compute.clusters: {range: [8, 128], step: 8}
  memory.dram_bandwidth: {log: [80 GB/s, 640 GB/s], points: 50}
  memory.tcdm_size: {log: [32 KiB, 4 MiB], points: 50}
  memory.dram_efficiency: {linear: [0.5, 0.95], points: ${points}}
objectives: [time, energy]
`;

export async function run(): Promise<BenchRow[]> {
  const root = join(__dirname, '..');
  const d = mkdtempSync(join(tmpdir(), 'am-sweep-bench-'));
  copyFileSync(join(root, 'examples', 'resnet50.net.yaml'), join(d, 'resnet50.net.yaml'));
  copyFileSync(join(root, 'examples', 'all-presets.hw.yaml'), join(d, 'all-presets.hw.yaml'));
  const rows: BenchRow[] = [];
  const cli = join(root, 'dist', 'cli.js');
  const go = (spec: string, out: string, j: number) => {
    writeFileSync(join(d, 's.sweep.yaml'), spec);
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, 'sweep', 's.sweep.yaml', '-o', out, '-j', String(j)], {
      cwd: d,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`sweep failed: ${r.stderr}`);
    return { s: (performance.now() - t0) / 1000, out: r.stdout };
  };
  const one = go(SPEC('4'), 'one.csv', 1); // 160,000 points
  const rate1 = 160000 / one.s;
  rows.push({
    metric: 'ResNet-50 on ntx, one thread',
    value: rate1,
    unit: 'points/s',
    note: '160,000 points, bundled CLI, wall time with start-up',
  });
  const cores = availableParallelism();
  const all = go(SPEC('25'), 'all.csv', cores);
  rows.push({
    metric: `ResNet-50 on ntx, 1,000,000 design points on ${cores} worker threads`,
    value: all.s,
    unit: 's',
    goal: '< 60 s',
    ok: all.s < 60,
    note: `${Math.round(1e6 / all.s)} points/s; ${(statSync(join(d, 'all.csv')).size / 1e6).toFixed(0)} MB of CSV`,
  });
  rmSync(d, { recursive: true, force: true });
  return rows;
}

// End-to-end `accelmap` command times (the bundled dist/cli.js in a fresh process, as a user or CI runs it):
// median of 5 runs each. `npm run bench` builds first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchRow } from './run';
import { SHARED_ONNX } from '../test/shared-data';

export const name = 'cli (dist/cli.js, fresh process)';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');

function time(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`accelmap ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<BenchRow[]> {
  if (!existsSync(CLI)) return [{ metric: 'dist/cli.js missing (run npm run build)', value: 0, unit: '' }];
  const cases: [string, string[], number][] = [
    ['accelmap --version (startup)', ['--version'], 300],
    [
      'accelmap check examples/*.yaml',
      [
        'check',
        'examples/alexnet.net.yaml',
        'examples/vgg16.net.yaml',
        'examples/resnet50.net.yaml',
        'examples/mobilenet_v2.net.yaml',
        'examples/all-presets.hw.yaml',
      ],
      1000,
    ],
    [
      'accelmap simulate resnet50.net.yaml (6 default targets), json',
      ['simulate', 'examples/resnet50.net.yaml', '-f', 'json', '-o', '/dev/null'],
      2000,
    ],
    [
      'accelmap simulate resnet50-train.onnx --batch 32 -t ntx -t h100-sxm',
      ['simulate', join(SHARED_ONNX, 'resnet50-train.onnx'), '--batch', '32', '-t', 'ntx', '-t', 'h100-sxm'],
      2000,
    ],
    ['accelmap import resnet50-train.onnx', ['import', join(SHARED_ONNX, 'resnet50-train.onnx')], 1000],
  ];
  const rows: BenchRow[] = [];
  for (const [metric, args, goal] of cases) {
    const ms = median(Array.from({ length: 5 }, () => time(args)));
    rows.push({ metric, value: ms, unit: 'ms', goal: `< ${goal} ms`, ok: ms < goal });
  }
  return rows;
}

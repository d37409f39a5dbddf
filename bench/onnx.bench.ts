// ONNX import speed and memory: each shared torchvision graph (in-process, median of repeats), and a generated
// model with 1 GiB of embedded weights (written to bench/tmp/ by streaming, imported in a child process so its
// peak RSS is its own, then deleted). The importer seeks over tensor payloads, so time and memory should not
// grow with the weights.
import { closeSync, mkdirSync, openSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { BenchRow } from './run';
import { importOnnxBuffer, importOnnxFileSync } from '../server/src/onnx/index';
import {
  graphBytes,
  model,
  modelHeader,
  tensorHeaderForRaw,
  varint,
  DT,
  type NodeSpec,
  type TensorSpec,
} from '../test/unit/onnx/onnx-writer';
import { SHARED_ONNX } from '../test/shared-data';

export const name = 'onnx import';

const ROOT = join(__dirname, '..');
const SHARED = SHARED_ONNX;
const MODELS = ['alexnet', 'vgg16', 'resnet50', 'mobilenet_v2', 'resnet50-train', 'mobilenet_v2-train'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A Gemm 16384 -> 16384 whose fp32 weight (1 GiB) is an initializer with raw_data, written in 8 MiB chunks. */
function writeHugeModel(path: string): number {
  const n = 16384;
  const payload = n * n * 4;
  const g = graphBytes({
    nodes: [
      { op: 'Gemm', name: '/fc/Gemm', inputs: ['x', 'w', 'b'], outputs: ['h'], attrs: { transB: { i: 1 } } },
      { op: 'Relu', name: '/act/Relu', inputs: ['h'], outputs: ['y'] },
    ],
    initializers: [{ name: 'b', dims: [n], raw: Buffer.alloc(4 * n) }],
    inputs: [{ name: 'x', dims: [32, n] }],
    outputs: [{ name: 'y', dims: [32, n] }],
  });
  const tHead = tensorHeaderForRaw('w', [n, n], DT.FLOAT, payload);
  const tLen = tHead.length + payload;
  const initHead = Buffer.concat([varint(5 * 8 + 2), varint(tLen), tHead]); // GraphProto.initializer
  const graphLen = g.length + initHead.length + payload;
  const head = Buffer.concat([modelHeader(17), varint(7 * 8 + 2), varint(graphLen), g, initHead]);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    const chunk = Buffer.alloc(8 * 1024 * 1024);
    for (let left = payload; left > 0; left -= chunk.length) writeSync(fd, chunk, 0, Math.min(chunk.length, left));
  } finally {
    closeSync(fd);
  }
  return head.length + payload;
}

interface ChildFigures {
  ms: number;
  maxRssKiB: number;
  layers: number;
  reads: number;
}

/** Imports `file` in a fresh node process (or only starts up when file is ''), reporting time and peak RSS. */
function childImport(file: string): ChildFigures {
  const code = `
    const { importOnnxFileSync } = require('./server/src/onnx/index.ts');
    const file = ${JSON.stringify(file)};
    const t = performance.now();
    const r = file ? importOnnxFileSync(file) : { layerCount: 0, reads: 0 };
    const ms = performance.now() - t;
    // VmHWM (peak RSS of this address space); ru_maxrss would include the forking parent's high-water mark.
    let hwm = process.resourceUsage().maxRSS;
    try { hwm = Number(/VmHWM:\\s+(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]); } catch {}
    console.log(JSON.stringify({ ms, maxRssKiB: hwm, layers: r.layerCount, reads: r.reads }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child import failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const m of MODELS) {
    const file = join(SHARED, `${m}.onnx`);
    importOnnxFileSync(file); // warm-up (JIT)
    const times: number[] = [];
    let layers = 0;
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      layers = importOnnxFileSync(file, { batch: 32 }).layerCount;
      times.push(performance.now() - t);
    }
    rows.push({
      metric: `import ${m}.onnx (${layers} layers), median of 15`,
      value: median(times),
      unit: 'ms',
      goal: '< 50 ms',
      ok: median(times) < 50,
    });
  }
  // Transformers of the corpus (test/corpus/onnx/): attention graphs of ~300-400 layers; the batch differs from the
  // exported one, so the import also re-reads the trace at another batch where it must.
  for (const f of ['gpt2_small.op17.onnx', 'bert_base.op13.onnx', 'vit_b_16.op13.onnx', 'swin_t.op13.onnx']) {
    const file = join(ROOT, 'test', 'corpus', 'onnx', f);
    const opts = { batch: 32, dims: { seq: 128 } };
    importOnnxFileSync(file, opts);
    const times: number[] = [];
    let layers = 0;
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      layers = importOnnxFileSync(file, opts).layerCount;
      times.push(performance.now() - t);
    }
    rows.push({
      metric: `import ${f} at batch 32 (${layers} layers), median of 7`,
      value: median(times),
      unit: 'ms',
      goal: '< 100 ms',
      ok: median(times) < 100,
    });
  }

  // A deep generated graph: 5,000 Gemm+Relu pairs (10,000 nodes), built in memory.
  const depth = 5000;
  const nodes: NodeSpec[] = [];
  const inits: TensorSpec[] = [];
  for (let i = 0; i < depth; i++) {
    nodes.push({
      op: 'Gemm',
      name: `/blocks/blocks.${i}/fc/Gemm`,
      inputs: [i ? `r${i - 1}` : 'x', `w${i}`],
      outputs: [`g${i}`],
      attrs: { transB: { i: 1 } },
    });
    nodes.push({ op: 'Relu', name: `/blocks/blocks.${i}/act/Relu`, inputs: [`g${i}`], outputs: [`r${i}`] });
    inits.push({ name: `w${i}`, dims: [64, 64], raw: Buffer.alloc(64 * 64 * 4) });
  }
  const deep = model({
    nodes,
    initializers: inits,
    inputs: [{ name: 'x', dims: [32, 64] }],
    outputs: [{ name: `r${depth - 1}`, dims: [32, 64] }],
  });
  importOnnxBuffer(deep, 'deep.onnx');
  const dt: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    importOnnxBuffer(deep, 'deep.onnx');
    dt.push(performance.now() - t);
  }
  rows.push({
    metric: `import a 10,000-node graph (${(deep.length / 2 ** 20).toFixed(0)} MiB, in memory), median of 5`,
    value: median(dt),
    unit: 'ms',
    goal: '< 500 ms',
    ok: median(dt) < 500,
  });

  const tmp = join(ROOT, 'bench', 'tmp');
  mkdirSync(tmp, { recursive: true });
  const huge = join(tmp, 'huge-1gib.onnx');
  try {
    const t0 = performance.now();
    const bytes = writeHugeModel(huge);
    rows.push({
      metric: 'write generated model (streamed)',
      value: bytes / 2 ** 30,
      unit: 'GiB',
      note: `${((performance.now() - t0) / 1000).toFixed(1)} s to write`,
    });
    const idle = childImport('');
    const cold = childImport(join(SHARED, 'resnet50-train.onnx'));
    const big = childImport(huge);
    rows.push({
      metric: 'import resnet50-train.onnx in a fresh process (cold JIT)',
      value: cold.ms,
      unit: 'ms',
      note: 'compare with the 1 GiB model below',
    });
    rows.push({
      metric: 'import 1 GiB-weight model (child process)',
      value: big.ms,
      unit: 'ms',
      goal: '< 200 ms',
      ok: big.ms < 200,
      note: `${big.layers} layers, ${big.reads} positional reads`,
    });
    rows.push({
      metric: 'peak RSS, importing the 1 GiB-weight model',
      value: big.maxRssKiB / 1024,
      unit: 'MiB',
      goal: '< idle + 32 MiB',
      ok: big.maxRssKiB - idle.maxRssKiB < 32 * 1024,
    });
    rows.push({ metric: 'peak RSS, same child process without importing', value: idle.maxRssKiB / 1024, unit: 'MiB' });
  } finally {
    rmSync(huge, { force: true });
    try {
      rmdirSync(tmp);
    } catch {
      /* not empty: another bench's files */
    }
  }
  return rows;
}

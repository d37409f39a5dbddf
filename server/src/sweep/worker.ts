// The sweep's worker thread: evaluates a list of point indices and posts the formatted rows back in batches. Loaded
// as its own file in development (tsx) and as the CLI bundle itself when bundled (dist/cli.js checks isMainThread).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { evaluator, formatRow, type Format } from './run';
import type { SweepSpec } from './spec';
import type { NetworkModel, TargetModel } from '../spec/types';

export interface SweepWorkerData {
  accelmapSweep: true;
  spec: SweepSpec;
  net: NetworkModel;
  target: TargetModel;
  indices: number[];
  format: Format;
}

export function sweepWorkerMain(): boolean {
  if (isMainThread || !parentPort || !(workerData as SweepWorkerData | undefined)?.accelmapSweep) return false;
  const d = workerData as SweepWorkerData;
  const ev = evaluator(d.spec, d.net, d.target);
  let lines: string[] = [],
    evaluated = 0,
    feasible = 0;
  for (const i of d.indices) {
    const r = ev.evaluate(i);
    evaluated++;
    if (r) {
      feasible++;
      lines.push(formatRow(d.spec, r, d.format));
    }
    if (lines.length >= 2000 || (evaluated & 4095) === 0) {
      parentPort.postMessage({ lines, evaluated, feasible });
      lines = [];
      evaluated = 0;
      feasible = 0;
    }
  }
  parentPort.postMessage({ lines, evaluated, feasible, done: true });
  return true;
}

sweepWorkerMain();

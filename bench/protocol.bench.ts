// What a simulation result costs on the way to the editor: the size of accelmap/simulationResult in its columnar wire
// form (server/src/lsp/resultWire.ts) next to the JSON of the result's objects it replaced, and the time to encode
// it on the server and to parse and decode it on the client. ResNet-50 and the generated 10,000-layer network, each
// on one preset of every kind (six targets). Issue 9's goal for the 10,000-layer network is < 10 MB on the wire
// (deflated columns reach it without dropping any detail).
import type { BenchRow } from './run';
import { resolveTargets } from '../server/src/spec/index';
import { simulate } from '../server/src/sim/index';
import { KINDS } from '../server/src/kinds/params';
import { decodeResult, encodeResult } from '../server/src/lsp/resultWire';
import { networkOf } from '../test/unit/examples/load';
import { deepChain } from '../test/unit/sim/nets';

export const name = 'result protocol (accelmap/simulationResult)';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<BenchRow[]> {
  const targets = resolveTargets(
    KINDS.map((k) => k.presets[0].name),
    [],
  ).targets;
  const rows: BenchRow[] = [];
  for (const [label, net, reps] of [
    ['ResNet-50', networkOf('resnet50.net.yaml'), 15],
    ['10,000-layer network', deepChain(10000), 3],
  ] as const) {
    const r = simulate(net, targets);
    const json = JSON.stringify(r);
    const enc: number[] = [],
      dec: number[] = [];
    let wire = '';
    for (let i = 0; i < reps; i++) {
      const fresh = simulate(net, targets); // lazily built layers/timeline: encoding pays for reading them
      let t = performance.now();
      wire = JSON.stringify(encodeResult(fresh));
      enc.push(performance.now() - t);
      t = performance.now();
      decodeResult(JSON.parse(wire));
      dec.push(performance.now() - t);
    }
    const mb = wire.length / 1e6;
    const goal = label.startsWith('10,000') ? { goal: '< 10 MB', ok: mb < 10 } : {};
    rows.push({
      metric: `${label} on ${targets.length} targets: result on the wire`,
      value: mb,
      unit: 'MB',
      ...goal,
      note: `JSON of the objects: ${(json.length / 1e6).toFixed(1)} MB`,
    });
    rows.push({
      metric: `${label} on ${targets.length} targets: encode on the server (median of ${reps})`,
      value: median(enc),
      unit: 'ms',
    });
    rows.push({
      metric: `${label} on ${targets.length} targets: parse + decode on the client (median of ${reps})`,
      value: median(dec),
      unit: 'ms',
    });
  }
  return rows;
}

// Speed of the spec core: analyze() runs on every (debounced) keystroke.
// Goals: ResNet-50 (examples/resnet50.net.yaml, else the generated one) < 5 ms; a 10,000-layer network < 150 ms.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import type { BenchRow } from './run';
import { analyze } from '../server/src/spec/index';
import { deepNetYaml, resnet50Yaml } from '../test/unit/spec/fixtures';

export const name = 'spec core (analyze)';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Median wall time and median CPU time (user+system of this process) per analyze(). On a shared, loaded machine
 * the wall time includes waiting for a core; the CPU time is what the work itself costs.
 */
function time(uri: string, text: string, runs: number): { wall: number; cpu: number } {
  for (let i = 0; i < Math.min(5, runs); i++) analyze(uri, text); // warm-up (JIT)
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    analyze(uri, text);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

export async function run(): Promise<BenchRow[]> {
  const ex = join(__dirname, '..', 'examples', 'resnet50.net.yaml');
  const useExample = existsSync(ex);
  const resnet = useExample ? readFileSync(ex, 'utf8') : resnet50Yaml();
  const deep = deepNetYaml(10_000);
  const r = time('file:///resnet50.net.yaml', resnet, 60);
  const dd = time('file:///deep.net.yaml', deep, 10);
  const rj = time('file:///resnet50.net.json', JSON.stringify(toJson(analyze('x.net.yaml', resnet))), 60);
  const load = os.loadavg()[0].toFixed(1);
  return [
    { metric: `analyze ResNet-50 (${useExample ? 'examples/resnet50.net.yaml' : 'generated'}), median wall`, value: r.wall, unit: 'ms', goal: '< 5 ms', ok: r.wall < 5, note: `${resnet.length} chars; load avg ${load}` },
    { metric: 'analyze ResNet-50, median CPU time', value: r.cpu, unit: 'ms' },
    { metric: 'analyze generated 10,000-layer network, median wall', value: dd.wall, unit: 'ms', goal: '< 150 ms', ok: dd.wall < 150, note: `${deep.length} chars; load avg ${load}` },
    { metric: 'analyze generated 10,000-layer network, median CPU time', value: dd.cpu, unit: 'ms' },
    { metric: 'analyze ResNet-50 as JSON, median wall', value: rj.wall, unit: 'ms' },
  ];
}

/** The ResNet-50 spec as a JSON document (same content), to time the JSON path. */
function toJson(doc: ReturnType<typeof analyze>): unknown {
  const n = doc.network!;
  return {
    kind: 'network', name: n.name, batch_size: n.batch, input_shape: n.inputShape,
    layers: n.layers.map((l) => ({ name: l.name, type: l.type, ...(l.type === 'conv2d' ? { out_channels: l.attrs.outChannels, kernel_size: l.attrs.kernel, stride: l.attrs.stride, padding: l.attrs.padding, bias: l.attrs.bias } : {}), ...(l.type === 'linear' ? { out_features: l.attrs.outFeatures } : {}), ...(l.type === 'maxpool' ? { kernel_size: l.attrs.kernel, stride: l.attrs.stride, padding: l.attrs.padding } : {}), ...(l.type === 'adaptive_avgpool' ? { output_size: l.attrs.outputSize } : {}), inputs: l.inputs.map((i) => (i < 0 ? 'input' : n.layers[i].name)) })),
  };
}

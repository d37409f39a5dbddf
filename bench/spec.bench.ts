// Speed of the spec core: analyze() runs on every (debounced) keystroke.
// Goals: ResNet-50 (examples/resnet50.net.yaml, else the generated one) < 5 ms; a 10,000-layer network < 150 ms.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchRow } from './run';
import { analyze } from '../server/src/spec/index';
import { deepNetYaml, resnet50Yaml } from '../test/unit/spec/fixtures';

export const name = 'spec core (analyze)';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(uri: string, text: string, runs: number): number {
  for (let i = 0; i < Math.min(5, runs); i++) analyze(uri, text); // warm-up (JIT)
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    analyze(uri, text);
    t.push(performance.now() - t0);
  }
  return median(t);
}

export async function run(): Promise<BenchRow[]> {
  const ex = join(__dirname, '..', 'examples', 'resnet50.net.yaml');
  const useExample = existsSync(ex);
  const resnet = useExample ? readFileSync(ex, 'utf8') : resnet50Yaml();
  const deep = deepNetYaml(10_000);
  const r = time('file:///resnet50.net.yaml', resnet, 60);
  const dd = time('file:///deep.net.yaml', deep, 10);
  const rj = time('file:///resnet50.net.json', JSON.stringify(toJson(analyze('x.net.yaml', resnet))), 60);
  return [
    { metric: `analyze ResNet-50 (${useExample ? 'examples/resnet50.net.yaml' : 'generated'}), median`, value: r, unit: 'ms', goal: '< 5 ms', ok: r < 5, note: `${resnet.length} chars` },
    { metric: 'analyze generated 10,000-layer network, median', value: dd, unit: 'ms', goal: '< 150 ms', ok: dd < 150, note: `${deep.length} chars` },
    { metric: 'analyze ResNet-50 as JSON, median', value: rj, unit: 'ms' },
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

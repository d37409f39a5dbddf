// Test fixtures shared by the gradpim, neurotrainer and imc tests: a tiny NetworkModel builder (shapes, params and
// MACs computed here by the textbook formulas, so the tests do not depend on the spec core) and SI-valued targets.
import type {
  LayerModel,
  LayerType,
  NetworkModel,
  Precision,
  Shape,
  TargetKind,
  TargetModel,
} from '../../../server/src/spec/types';
import { KINDS } from '../../../server/src/kinds/params';

const Z = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const ranges = () => ({ node: Z, name: Z, type: Z, keys: {}, inputEntries: [] });
const prod = (s: Shape) => s.reduce((a, b) => a * b, 1);

export class NetBuilder {
  readonly layers: LayerModel[] = [];
  private last = -1;
  constructor(
    readonly batch: number,
    readonly inputShape: Shape,
  ) {}

  shapeOf(i: number): Shape {
    return i < 0 ? this.inputShape : this.layers[i].outShape;
  }
  get current(): number {
    return this.last;
  }

  private push(
    name: string,
    type: LayerType,
    inputs: number[],
    outShape: Shape,
    params: number,
    macs: number,
    attrs: LayerModel['attrs'] = {},
  ): number {
    const index = this.layers.length;
    this.layers.push({
      index,
      name,
      type,
      attrs,
      inputs,
      inShapes: inputs.map((i) => this.shapeOf(i)),
      outShape,
      params,
      macs,
      ranges: ranges(),
    });
    this.last = index;
    return index;
  }

  conv(name: string, K: number, k: number, stride = 1, pad = 0, from = this.last): number {
    const [C, H, W] = this.shapeOf(from);
    const P = Math.floor((H + 2 * pad - k) / stride) + 1,
      Q = Math.floor((W + 2 * pad - k) / stride) + 1;
    return this.push(name, 'conv2d', [from], [K, P, Q], K * C * k * k, this.batch * K * C * k * k * P * Q, {
      outChannels: K,
      kernel: [k, k],
      stride: [stride, stride],
      padding: [pad, pad],
      dilation: [1, 1],
      groups: 1,
      bias: false,
    });
  }
  bn(name: string, from = this.last): number {
    const s = this.shapeOf(from);
    return this.push(name, 'batchnorm', [from], s, 2 * s[0], 0);
  }
  relu(name: string, from = this.last): number {
    return this.push(name, 'relu', [from], this.shapeOf(from), 0, 0);
  }
  maxpool(name: string, k: number, stride: number, pad: number, from = this.last): number {
    const [C, H, W] = this.shapeOf(from);
    const P = Math.floor((H + 2 * pad - k) / stride) + 1,
      Q = Math.floor((W + 2 * pad - k) / stride) + 1;
    return this.push(name, 'maxpool', [from], [C, P, Q], 0, 0, {
      kernel: [k, k],
      stride: [stride, stride],
      padding: [pad, pad],
    });
  }
  add(name: string, a: number, b: number): number {
    return this.push(name, 'add', [a, b], this.shapeOf(a), 0, 0);
  }
  gap(name: string, from = this.last): number {
    return this.push(name, 'global_avgpool', [from], [this.shapeOf(from)[0], 1, 1], 0, 0);
  }
  flatten(name: string, from = this.last): number {
    return this.push(name, 'flatten', [from], [prod(this.shapeOf(from))], 0, 0);
  }
  linear(name: string, out: number, bias = true, from = this.last): number {
    const inS = this.shapeOf(from);
    const F = inS[inS.length - 1];
    const rows = this.batch * prod(inS.slice(0, -1));
    return this.push(name, 'linear', [from], [...inS.slice(0, -1), out], F * out + (bias ? out : 0), rows * F * out, {
      outFeatures: out,
      bias,
    });
  }
  lstm(name: string, H: number, returnSequences = true, from = this.last): number {
    const [T, X] = this.shapeOf(from);
    const params = 4 * H * (X + H) + 8 * H;
    return this.push(name, 'lstm', [from], returnSequences ? [T, H] : [H], params, this.batch * T * 4 * H * (X + H), {
      hiddenSize: H,
      numLayers: 1,
      bidirectional: false,
      bias: true,
      returnSequences,
    });
  }

  build(name: string, precision: Precision = 'fp32', opts: Partial<NetworkModel> = {}): NetworkModel {
    return {
      kind: 'network',
      name,
      batch: this.batch,
      precision,
      masterWeights: precision === 'fp32' ? null : 'fp32',
      gradientPrecision: precision,
      inputShape: this.inputShape,
      targets: [],
      hardwareFiles: [],
      layers: this.layers,
      optimizer: { type: 'momentum', lr: 0.1, momentum: 0.9, weightDecay: 1e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
      ranges: { root: Z, keys: {}, targetEntries: [] },
      ...opts,
    };
  }
}

/** ResNet-18 for ImageNet (He et al. 2016): 11.69 M parameters, 1.82 GMAC per 224x224 sample. */
export function resnet18(batch: number, precision: Precision = 'fp16'): NetworkModel {
  const b = new NetBuilder(batch, [3, 224, 224]);
  b.conv('conv1', 64, 7, 2, 3);
  b.bn('bn1');
  b.relu('relu1');
  b.maxpool('pool1', 3, 2, 1);
  const widths = [64, 128, 256, 512];
  let x = b.current;
  widths.forEach((K, s) => {
    for (let blk = 0; blk < 2; blk++) {
      const stride = s > 0 && blk === 0 ? 2 : 1;
      const p = `layer${s + 1}.${blk}`;
      b.conv(`${p}.conv1`, K, 3, stride, 1, x);
      b.bn(`${p}.bn1`);
      b.relu(`${p}.relu1`);
      b.conv(`${p}.conv2`, K, 3, 1, 1);
      const main = b.bn(`${p}.bn2`);
      let skip = x;
      if (stride !== 1 || b.shapeOf(x)[0] !== K) {
        b.conv(`${p}.down`, K, 1, stride, 0, x);
        skip = b.bn(`${p}.down_bn`);
      }
      b.add(`${p}.add`, main, skip);
      x = b.relu(`${p}.relu2`);
    }
  });
  b.gap('avgpool', x);
  b.flatten('flatten');
  b.linear('fc', 1000);
  return b.build('resnet18', precision);
}

/** A target of `kind` with the given SI params (the kind defaults fill the rest). */
export function target(
  kind: TargetKind,
  name: string,
  params: Record<string, number | string | boolean> = {},
): TargetModel {
  return { name, kind, description: '', extendsChain: [], params, provenance: {}, notes: [] };
}

const UNIT: Record<string, number> = {
  '': 1,
  Hz: 1,
  kHz: 1e3,
  MHz: 1e6,
  GHz: 1e9,
  'B/s': 1,
  'kB/s': 1e3,
  'MB/s': 1e6,
  'GB/s': 1e9,
  'TB/s': 1e12,
  'GiB/s': 2 ** 30,
  B: 1,
  KiB: 1024,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  kB: 1e3,
  MB: 1e6,
  GB: 1e9,
  s: 1,
  ms: 1e-3,
  us: 1e-6,
  ns: 1e-9,
  J: 1,
  pJ: 1e-12,
  fJ: 1e-15,
  nJ: 1e-9,
  'pJ/B': 1e-12,
  'fJ/B': 1e-15,
  'pJ/bit': 8e-12,
  'fJ/bit': 8e-15,
  'pJ/FLOP': 1e-12,
  'fJ/FLOP': 1e-15,
  'pJ/flop': 1e-12,
  W: 1,
  mW: 1e-3,
  'GFLOP/s': 1e9,
  'TFLOP/s': 1e12,
  'pJ/MAC': 1e-12,
};

/** Minimal unit reader for preset values in tests (the spec core owns the real one). */
export function si(v: number | string | boolean): number | string | boolean {
  if (typeof v !== 'string') return v;
  const m = /^([-+0-9.eE]+)\s*(\S*)$/.exec(v.trim());
  if (!m || !(m[2] in UNIT)) return v;
  return Number(m[1]) * UNIT[m[2]];
}

/** A built-in preset as a TargetModel, its values converted with si(). */
export function preset(name: string): TargetModel {
  for (const k of KINDS)
    for (const p of k.presets)
      if (p.name === name) {
        const params: Record<string, number | string | boolean> = {};
        for (const [path, pv] of Object.entries(p.values)) params[path] = si(pv.value);
        return {
          name,
          kind: k.kind,
          description: p.description,
          extendsChain: [],
          params,
          provenance: {},
          notes: p.notes,
        };
      }
  throw new Error(`no preset ${name}`);
}

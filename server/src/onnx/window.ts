// Window ops (conv, pooling) in the spec's terms: scalar-or-pair values and symmetric padding.
import type { NodeInfo } from './proto';
import { windowOut, type TensorState, type WindowGeom } from './shapes';
import { nodeLabel } from './errors';

export function pair(v: number[]): number | number[] {
  return v.length === 2 && v[0] === v[1] ? v[0] : v;
}

/**
 * The spec's symmetric padding for a window op. ONNX pads are [begin..., end...], plus any folded Pad node. When
 * they are asymmetric (TF "SAME" with stride 2), the symmetric padding that gives the same output size is chosen
 * (the cost follows the output size); when none does, the begin side is kept and a warning says so.
 */
export function fitPads(geo: WindowGeom, x: TensorState, out: number[], n: NodeInfo, warnings: string[]): number[] {
  const r = geo.kernel.length;
  const extra = x.padExtra ?? new Array(2 * r).fill(0);
  const pads = geo.pads.map((p, i) => p + extra[i]);
  const inSp = (x.shape ?? []).slice(2).map((d, i) => d - extra[i] - extra[i + r]);
  const outSp = out.slice(2);
  return inSp.map((h, i) => {
    const b = pads[i],
      e = pads[i + r];
    if (b === e) return b;
    const fits = (p: number) => windowOut(h, geo.kernel[i], geo.strides[i], p, p, geo.dil[i], geo.ceil) === outSp[i];
    const p = [Math.floor((b + e) / 2), Math.ceil((b + e) / 2), Math.min(b, e), Math.max(b, e)].find(fits);
    if (p !== undefined) return p;
    warnings.push(
      `${nodeLabel(n)}: asymmetric padding ${JSON.stringify(pads)} has no symmetric equivalent; imported as ${b} on both sides of axis ${i + 2}`,
    );
    return b;
  });
}

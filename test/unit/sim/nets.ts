// Reference networks built directly (independent of the spec core): VGG-16, ResNet-50, AlexNet-like, a deep chain.
import type { NetworkModel } from '../../../server/src/spec/types';
import { net, type LayerSpec, type NetOptions } from './fixtures';

const conv = (name: string, k: number, r: number, s = 1, p = 0, bias = false): LayerSpec => ({
  type: 'conv2d',
  name,
  attrs: { outChannels: k, kernel: [r, r], stride: [s, s], padding: [p, p], bias },
});

/** VGG-16 (configuration D), torchvision layout, conv with bias, no batchnorm. */
export function vgg16(o: NetOptions = {}): NetworkModel {
  const cfg: (number | 'M')[] = [
    64,
    64,
    'M',
    128,
    128,
    'M',
    256,
    256,
    256,
    'M',
    512,
    512,
    512,
    'M',
    512,
    512,
    512,
    'M',
  ];
  const L: LayerSpec[] = [];
  let i = 0;
  for (const c of cfg) {
    if (c === 'M') L.push({ type: 'maxpool', name: `features.${i++}`, attrs: { kernel: [2, 2], stride: [2, 2] } });
    else {
      L.push(conv(`features.${i++}`, c, 3, 1, 1, true));
      L.push({ type: 'relu', name: `features.${i++}` });
    }
  }
  L.push({ type: 'flatten', name: 'flatten' });
  L.push(
    { type: 'linear', name: 'classifier.0', attrs: { outFeatures: 4096 } },
    { type: 'relu', name: 'classifier.1' },
    { type: 'dropout', name: 'classifier.2', attrs: { p: 0.5 } },
  );
  L.push(
    { type: 'linear', name: 'classifier.3', attrs: { outFeatures: 4096 } },
    { type: 'relu', name: 'classifier.4' },
    { type: 'dropout', name: 'classifier.5', attrs: { p: 0.5 } },
  );
  L.push({ type: 'linear', name: 'classifier.6', attrs: { outFeatures: 1000 } });
  return net([3, 224, 224], L, { name: 'vgg16', batch: 32, optimizer: 'momentum', ...o });
}

/** ResNet-50 v1.5 (torchvision): 53 conv + 53 bn + relus + 16 adds, ~4.1 GMAC per sample. */
export function resnet50(o: NetOptions = {}): NetworkModel {
  const L: LayerSpec[] = [
    conv('conv1', 64, 7, 2, 3),
    { type: 'batchnorm', name: 'bn1' },
    { type: 'relu', name: 'relu' },
    { type: 'maxpool', name: 'maxpool', attrs: { kernel: [3, 3], stride: [2, 2], padding: [1, 1] } },
  ];
  let prev = 'maxpool';
  const stages: [number, number, number][] = [
    [64, 3, 1],
    [128, 4, 2],
    [256, 6, 2],
    [512, 3, 2],
  ];
  stages.forEach(([w, blocks, stride], si) => {
    for (let b = 0; b < blocks; b++) {
      const n = `layer${si + 1}.${b}`,
        s = b === 0 ? stride : 1;
      L.push(
        { ...conv(`${n}.conv1`, w, 1), inputs: [prev] },
        { type: 'batchnorm', name: `${n}.bn1` },
        { type: 'relu', name: `${n}.relu1` },
      );
      L.push(
        conv(`${n}.conv2`, w, 3, s, 1),
        { type: 'batchnorm', name: `${n}.bn2` },
        { type: 'relu', name: `${n}.relu2` },
      );
      L.push(conv(`${n}.conv3`, 4 * w, 1), { type: 'batchnorm', name: `${n}.bn3` });
      let skip = prev;
      if (b === 0) {
        L.push(
          { ...conv(`${n}.downsample.0`, 4 * w, 1, s), inputs: [prev] },
          { type: 'batchnorm', name: `${n}.downsample.1` },
        );
        skip = `${n}.downsample.1`;
      }
      L.push({ type: 'add', name: `${n}.add`, inputs: [`${n}.bn3`, skip] }, { type: 'relu', name: `${n}.relu3` });
      prev = `${n}.relu3`;
    }
  });
  L.push(
    { type: 'global_avgpool', name: 'avgpool' },
    { type: 'flatten', name: 'flatten' },
    { type: 'linear', name: 'fc', attrs: { outFeatures: 1000 } },
  );
  return net([3, 224, 224], L, { name: 'resnet50', batch: 32, optimizer: 'momentum', ...o });
}

/** A generated chain of `n` layers cycling conv3x3 / batchnorm / relu on a small feature map. */
export function deepChain(n: number, o: NetOptions = {}): NetworkModel {
  const L: LayerSpec[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    L.push(
      k === 0
        ? conv(`conv${i}`, 32, 3, 1, 1)
        : k === 1
          ? { type: 'batchnorm', name: `bn${i}` }
          : { type: 'relu', name: `relu${i}` },
    );
  }
  return net([32, 16, 16], L, { name: `chain-${n}`, batch: 8, ...o });
}

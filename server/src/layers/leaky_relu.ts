// leaky_relu: x for x > 0, else negative_slope x; 2 flops per element each way, a 1-byte mask (ASM).
import { activation } from './common';

export const leaky_relu = activation(
  'leaky_relu',
  'x for x > 0, else negative_slope * x.',
  [2, 2],
  true,
  ['LeakyRelu'],
  [{ key: 'negative_slope', doc: 'Slope for negative inputs.', type: { t: 'number' }, default: 0.01 }],
);

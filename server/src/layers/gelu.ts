// gelu: Gaussian error linear unit; 8 flops per element forward, 12 backward, the output kept (ASM). The importer
// also folds its exact (Erf) and tanh decompositions.
import { activation } from './common';

export const gelu = activation('gelu', 'Gaussian error linear unit.', [8, 12], false, [
  'Gelu',
  'FastGelu',
  'BiasGelu',
  'Erf',
]);

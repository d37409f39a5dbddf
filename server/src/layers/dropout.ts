// dropout (training mode): 2 flops per element forward (random draw, scale), 1 backward, a 1-byte mask (ASM).
import { activation } from './common';

export const dropout = activation(
  'dropout',
  'Dropout (training mode).',
  [2, 1],
  true,
  ['Dropout'],
  [
    {
      key: 'p',
      doc: 'Drop probability in [0, 1).',
      type: { t: 'number', min: 0, max: 1, exclusiveMax: true },
      default: 0.5,
    },
  ],
);

// relu: max(x, 0); 1 flop per element each way, backward reads a 1-byte mask (ASM).
import { activation } from './common';

export const relu = activation('relu', 'max(x, 0).', [1, 1], true, ['Relu']);

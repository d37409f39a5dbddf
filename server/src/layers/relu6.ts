// relu6: min(max(x, 0), 6); 2 flops per element each way, a 1-byte mask (ASM). ONNX: Clip(0, 6).
import { activation } from './common';

export const relu6 = activation('relu6', 'min(max(x, 0), 6).', [2, 2], true, ['Clip']);

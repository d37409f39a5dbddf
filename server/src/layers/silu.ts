// silu: x sigmoid(x) (swish); 5 flops per element forward, 6 backward, the output kept (ASM). ONNX exports it as
// Sigmoid then Mul, which the importer folds.
import { activation } from './common';

export const silu = activation('silu', 'x * sigmoid(x) (swish).', [5, 6], false, ['Sigmoid', 'Mul']);

// hardswish: x relu6(x + 3) / 6 (MobileNetV3); 4 flops per element each way, a 1-byte mask (ASM). Before opset 14
// ONNX has HardSigmoid then Mul, which the importer folds.
import { activation } from './common';

export const hardswish = activation('hardswish', 'Hard swish (MobileNetV3).', [4, 4], true, [
  'HardSwish',
  'HardSigmoid',
  'Mul',
]);

// sigmoid: the logistic function; 4 flops per element forward, 3 backward, the output kept (ASM).
import { activation } from './common';

export const sigmoid = activation('sigmoid', 'Logistic sigmoid.', [4, 3], false, ['Sigmoid', 'HardSigmoid']);

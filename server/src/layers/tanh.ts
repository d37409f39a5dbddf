// tanh: hyperbolic tangent; 5 flops per element forward, 3 backward, the output kept (ASM).
import { activation } from './common';

export const tanh = activation('tanh', 'Hyperbolic tangent.', [5, 3], false, ['Tanh']);

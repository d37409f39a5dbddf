// rnn: Elman RNN with tanh (PyTorch RNN, batch_first): 1 gate (recurrent.ts).
import { recurrent } from './recurrent';

export const rnn = recurrent('rnn', 1, 'Elman RNN with tanh (PyTorch RNN, batch_first).', ['RNN']);

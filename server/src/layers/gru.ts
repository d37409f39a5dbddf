// gru: GRU (PyTorch GRU, batch_first): 3 gates (recurrent.ts).
import { recurrent } from './recurrent';

export const gru = recurrent('gru', 3, 'GRU (PyTorch GRU, batch_first).', ['GRU']);

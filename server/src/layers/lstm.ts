// lstm: LSTM (PyTorch LSTM, batch_first): 4 gates (recurrent.ts).
import { recurrent } from './recurrent';

export const lstm = recurrent('lstm', 4, 'LSTM (PyTorch LSTM, batch_first).', ['LSTM']);

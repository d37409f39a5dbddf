// global_maxpool: the maximum over the whole spatial extent, [C,H,W] -> [C,1,1].
import { globalPool } from './common';

export const global_maxpool = globalPool('global_maxpool', 'Maximum over the whole spatial extent.', true, [
  'GlobalMaxPool',
]);

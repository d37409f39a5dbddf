// global_avgpool: the mean over the whole spatial extent, [C,H,W] -> [C,1,1].
import { globalPool } from './common';

export const global_avgpool = globalPool('global_avgpool', 'Average over the whole spatial extent.', false, [
  'GlobalAveragePool',
  'ReduceMean',
]);

// avgpool: average pooling (PyTorch AvgPool2d); pool.ts.
import { windowPool } from './pool';

export const avgpool = windowPool('avgpool', 'Average pooling (PyTorch AvgPool2d).', ['AveragePool']);

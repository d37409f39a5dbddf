// maxpool: max pooling (PyTorch MaxPool2d); pool.ts.
import { windowPool } from './pool';

export const maxpool = windowPool('maxpool', 'Max pooling (PyTorch MaxPool2d).', ['MaxPool']);

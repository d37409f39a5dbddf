// Where the project's reference data lives: the `shared/` folder beside the checkout (../shared), as on the
// developers' machines and in CI. ACCELMAP_SHARED overrides it.
import { join, resolve } from 'node:path';

export const SHARED = process.env.ACCELMAP_SHARED ?? resolve(__dirname, '..', '..', 'shared');
export const SHARED_ONNX = join(SHARED, 'models', 'onnx');
export const SHARED_MEASURED = join(SHARED, 'data', 'gpu-h100', 'measured.json');

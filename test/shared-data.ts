// Where the tests' reference data lives: in the repository, so that a fresh clone's tests need nothing outside it.
// test/fixtures/onnx/ holds the torchvision graphs and their PyTorch layer tables, data/gpu-h100/ the H100
// measurements; both are copies of the project's shared reference data (their READMEs give the provenance).
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
export const SHARED_ONNX = join(ROOT, 'test', 'fixtures', 'onnx');
export const SHARED_MEASURED = join(ROOT, 'data', 'gpu-h100', 'measured.json');
export const SHARED_TRANSFORMERS = join(ROOT, 'data', 'gpu-h100', 'transformers.json');
/** Timeloop's tutorial cases with its reference outputs (a copy of the shared data/timeloop/, MIT licence). */
export const TIMELOOP_CASES = join(ROOT, 'test', 'fixtures', 'timeloop');

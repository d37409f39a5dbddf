import { resolveTargets } from './server/src/spec/index';
import { readGpuParams } from './server/src/sim/targets/gpu-params';
import { gemm } from './server/src/sim/targets/gpu-kernels';
for (const name of ['a100-sxm', 'h100-sxm']) {
  const [t] = resolveTargets([name], []).targets;
  const g = readGpuParams(t);
  for (const [M, N, K] of [[2048, 2304, 2304], [2048, 9216, 2304], [8192, 8192, 8192], [2048, 3072, 12288]]) {
    const k = gemm(g, { M, N, K }, 'fp16', { splitK: true });
    const fl = 2 * M * N * K;
    console.log(name, M, N, K, (k.gpuS * 1e3).toFixed(3), 'ms', (fl / k.gpuS / 1e12).toFixed(0), 'TF/s');
  }
}

"""What the GPU measurement scripts (scripts/measure-gpu-*.py) share: strict fp32 (TF32 off, as in
../shared/data/gpu-h100/measured.json), cuDNN autotuning, and the CUDA-event timer. Imported by those scripts, which
run as `python scripts/measure-gpu-<name>.py out.json` on the device machine (their folder is on sys.path)."""
import statistics

import torch

DEV = "cuda"


def strict_fp32_setup():
    """cudnn.benchmark on; TF32 off for matmuls and convolutions (fp32 means IEEE fp32)."""
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False


def bench(fn, warm=5, rep=25):
    """Median milliseconds of `fn` over `rep` runs after `warm`, timed with CUDA events."""
    for _ in range(warm):
        fn()
    torch.cuda.synchronize()
    ts = []
    for _ in range(rep):
        a = torch.cuda.Event(enable_timing=True); b = torch.cuda.Event(enable_timing=True)
        a.record(); fn(); b.record(); torch.cuda.synchronize()
        ts.append(a.elapsed_time(b))
    return statistics.median(ts)

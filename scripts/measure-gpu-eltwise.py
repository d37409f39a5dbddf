"""Measure the memory-bound parts of a training iteration on an NVIDIA GPU (run on the device machine).

measured.json (../shared/data/gpu-h100) times conv/linear phases and whole iterations; the difference is the
element-wise layers (batch norm, ReLU, pooling, residual add), the loss and the optimizer step, plus launch gaps.
This script times those directly so the GPU model can use physical constants (achieved bandwidth of element-wise
kernels, per-kernel launch cost, optimizer bytes/param) instead of a fudge factor.
Output: JSON on stdout path given as argv[1]. Timing: CUDA events, median of 25 after 5 warm-ups.
"""
import json, sys, torch, torch.nn as nn, torch.nn.functional as F

from gpu_timing import DEV as dev, bench, strict_fp32_setup

strict_fp32_setup()


out = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__, "ops": [], "optimizer": [], "launch": {}}
# launch cost: a tiny kernel, timed back to back (1000 launches)
x = torch.zeros(1, device=dev)
def many():
    for _ in range(1000):
        x.add_(1)
out["launch"]["tiny_kernel_us"] = bench(many, 2, 5)  # ms per 1000 = us per kernel

shapes = [(32, 64, 112, 112), (32, 256, 56, 56), (32, 512, 28, 28), (32, 1024, 14, 14), (32, 2048, 7, 7),
          (128, 64, 55, 55), (128, 256, 13, 13), (32, 64, 224, 224), (32, 32, 112, 112), (32, 96, 112, 112), (32, 1280, 7, 7)]
for dtype, prec in [(torch.float32, "fp32"), (torch.bfloat16, "bf16")]:
    for s in shapes:
        n = s[0] * s[1] * s[2] * s[3]
        t = torch.randn(*s, device=dev, dtype=dtype, requires_grad=True)
        u = torch.randn(*s, device=dev, dtype=dtype, requires_grad=True)
        g = torch.randn(*s, device=dev, dtype=dtype)
        bn = nn.BatchNorm2d(s[1]).to(dev, dtype).train()
        rows = {}
        rows["relu_fwd"] = bench(lambda: F.relu(t))
        y = F.relu(t); rows["relu_bwd"] = bench(lambda: torch.autograd.grad(y, t, g, retain_graph=True))
        rows["bn_fwd"] = bench(lambda: bn(t))
        yb = bn(t); rows["bn_bwd"] = bench(lambda: torch.autograd.grad(yb, t, g, retain_graph=True))
        rows["add_fwd"] = bench(lambda: t + u)
        if s[2] >= 14:
            rows["maxpool3s2_fwd"] = bench(lambda: F.max_pool2d(t, 3, 2, 1))
            yp = F.max_pool2d(t, 3, 2, 1); gp = torch.randn_like(yp)
            rows["maxpool3s2_bwd"] = bench(lambda: torch.autograd.grad(yp, t, gp, retain_graph=True))
        rows["copy"] = bench(lambda: t.detach().clone())
        for op, ms in rows.items():
            out["ops"].append({"op": op, "shape": list(s), "elements": n, "precision": prec, "ms": ms})
        del t, u, g, bn
        torch.cuda.empty_cache()

# optimizer step: SGD momentum (PyTorch default: foreach) over models' parameter sets
import torchvision
for name, ctor in [("alexnet", torchvision.models.alexnet), ("vgg16", torchvision.models.vgg16), ("resnet50", torchvision.models.resnet50), ("mobilenet_v2", torchvision.models.mobilenet_v2)]:
    m = ctor().to(dev)
    ps = list(m.parameters())
    for p in ps:
        p.grad = torch.randn_like(p)
    opt = torch.optim.SGD(ps, lr=0.01, momentum=0.9)
    opt.step()
    ms = bench(opt.step)
    opt2 = torch.optim.Adam(ps, lr=1e-3)
    opt2.step()
    ms_adam = bench(opt2.step)
    out["optimizer"].append({"net": name, "params": sum(p.numel() for p in ps), "tensors": len(ps), "sgd_momentum_ms": ms, "adam_ms": ms_adam})
    del m, opt, opt2, ps
    torch.cuda.empty_cache()

json.dump(out, open(sys.argv[1], "w"), indent=1)
print("ok", len(out["ops"]), "ops", out["launch"], out["optimizer"])

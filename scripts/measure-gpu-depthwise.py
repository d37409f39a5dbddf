"""Measure depthwise / grouped convolutions on an NVIDIA GPU (run on the device machine).

measured.json (../shared/data/gpu-h100) has no depthwise or grouped convolutions, so the GPU model's depthwise
efficiency was an assumption. This script times forward, backward-data and backward-weight of depthwise 3x3 and
5x5 convolutions over a grid of channel counts, spatial sizes and strides (not one network's layers), fp32 (TF32 off)
and bf16, plus a few 1x1 pointwise convs at the same sizes for comparison. Then, as a check only (not for fitting),
whole training iterations of MobileNet-V2 (batch 64) in fp32 and bf16 autocast.
Timing: CUDA events, median of 25 after 5 warm-ups (iterations: median of 15). Output: JSON at argv[1].
"""
import json, sys, torch, torch.nn as nn, torchvision

from gpu_timing import DEV as dev, bench, strict_fp32_setup

strict_fp32_setup()


out = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__, "layers": [], "networks": []}
grid = []
for N in (32, 64):
    for C, H in ((32, 112), (96, 112), (144, 56), (192, 28), (384, 14), (576, 14), (960, 7), (64, 56), (256, 28), (512, 14), (1024, 7)):
        for k in (3, 5):
            for s in (1, 2):
                if s == 2 and H < 14:
                    continue
                grid.append((N, C, H, k, s, C))  # depthwise: groups = C
        grid.append((N, C, H, 1, 1, 1))  # pointwise 1x1 for comparison (groups 1, K = C)
for dtype, prec in ((torch.float32, "fp32"), (torch.bfloat16, "bf16")):
    for (N, C, H, k, s, g) in grid:
        # the same calls as ../shared/data/gpu-h100/measure.py: functional conv2d and aten.convolution_backward
        # with an output mask, so the figures are comparable with measured.json (no autograd-engine overhead)
        pad = k // 2
        x = torch.randn(N, C, H, H, device=dev, dtype=dtype)
        w = torch.randn(C, C // g, k, k, device=dev, dtype=dtype)
        y = torch.nn.functional.conv2d(x, w, None, s, pad, 1, g)
        gy = torch.randn_like(y)
        f = bench(lambda: torch.nn.functional.conv2d(x, w, None, s, pad, 1, g))
        bd = bench(lambda: torch.ops.aten.convolution_backward(gy, x, w, None, [s, s], [pad, pad], [1, 1], False, [0, 0], g, [True, False, False]))
        bw = bench(lambda: torch.ops.aten.convolution_backward(gy, x, w, None, [s, s], [pad, pad], [1, 1], False, [0, 0], g, [False, True, False]))
        P = y.shape[2]
        out["layers"].append(dict(kind="conv", N=N, C=C, H=H, W=H, K=C, R=k, S=k, stride=[s, s], pad=[pad, pad], groups=g,
                                  out=list(y.shape), precision=prec, macs=N * C * P * P * (C // g) * k * k,
                                  fwd_ms=f, bwd_data_ms=bd, bwd_weight_ms=bw))
        del x, w, y, gy
    torch.cuda.empty_cache()

for prec in ("fp32", "bf16"):
    model = torchvision.models.mobilenet_v2().to(dev).train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    inp = torch.randn(64, 3, 224, 224, device=dev); tgt = torch.randint(0, 1000, (64,), device=dev)
    lossf = nn.CrossEntropyLoss()
    def it():
        opt.zero_grad(set_to_none=True)
        if prec == "bf16":
            with torch.autocast("cuda", dtype=torch.bfloat16):
                loss = lossf(model(inp).float(), tgt)
        else:
            loss = lossf(model(inp), tgt)
        loss.backward(); opt.step()
    out["networks"].append(dict(net="mobilenet_v2", batch=64, input=224, precision=prec, iter_ms=bench(it, 5, 15)))
    del model, opt

json.dump(out, open(sys.argv[1], "w"), indent=1)
print("ok", len(out["layers"]), "layers", out["networks"])

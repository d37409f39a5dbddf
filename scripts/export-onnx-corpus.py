#!/usr/bin/python3
"""Builds the ONNX import corpus in test/corpus/onnx/ with Debian's python3-torch, python3-torchvision and
python3-onnx (apt-get install python3-torch python3-torchvision python3-onnx; run with /usr/bin/python3).

Every network is exported by PyTorch's TorchScript-based exporter (torch.onnx.export; PyTorch 1.13, the version
Debian ships, has no dynamo exporter and exports opsets <= 17) in these variants:
  <net>.op13.onnx, <net>.op17.onnx   export_params=False: every parameter is a graph input (no weights stored)
  <net>.op17-ext.onnx                export_params=True + constant folding, then every initializer moved to external
                                     data; the .data file is not kept (an importer reads only the tensors' dims)
  <net>.op17-train.onnx              training mode (dropout and batch-norm kept), some networks
  <net>.op21.onnx                    the op17 graph rewritten to opset 21 by upgrade() below (Reduce* axes as inputs,
                                     Split with num_outputs, exact GELU as the opset-20 Gelu op), some networks
Networks with `dyn` export their batch (and sequence) as symbolic dimensions in the op17 variant.

manifest.json lists every file with its network, the batch and dims to import it with, and the reference
forward MACs counted in PyTorch two ways: `macs_hooks`, forward hooks on the Conv2d/ConvTranspose2d/Linear/LSTM/GRU
modules, and `macs_dispatch`, a dispatch-level count of every matrix product PyTorch runs (aten mm/bmm/addmm/
convolution...), which also sees what no module hook does (attention written with torch.matmul, the projections
inside nn.MultiheadAttention). The tests compare against macs_dispatch; the two agree on networks without them.
"""
import json
import os
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision.models as tvm
from torch.utils._python_dispatch import TorchDispatchMode

warnings.filterwarnings('ignore')
torch.manual_seed(0)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'corpus', 'onnx')


# ------------------------------------------------------------------------------------------ plain PyTorch models

class Gpt2Block(nn.Module):
    def __init__(self, d, h, t_max):
        super().__init__()
        self.h = h
        self.ln_1 = nn.LayerNorm(d)
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d)
        self.c_fc = nn.Linear(d, 4 * d)
        self.mlp_proj = nn.Linear(4 * d, d)
        self.drop = nn.Dropout(0.1)
        self.register_buffer('bias', torch.tril(torch.ones(t_max, t_max)).view(1, 1, t_max, t_max))

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(d, dim=2)
        q = q.view(b, t, self.h, d // self.h).transpose(1, 2)
        k = k.view(b, t, self.h, d // self.h).transpose(1, 2)
        v = v.view(b, t, self.h, d // self.h).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / (d // self.h) ** 0.5)
        att = att.masked_fill(self.bias[:, :, :t, :t] == 0, float('-inf'))
        att = self.drop(F.softmax(att, dim=-1))
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, d)
        x = x + self.drop(self.c_proj(y))
        return x + self.drop(self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate='tanh')))


class Gpt2(nn.Module):
    """GPT-2 small: 12 layers, d 768, 12 heads, vocab 50257, 1024 positions, tied LM head."""
    def __init__(self, layers=12, d=768, h=12, vocab=50257, t_max=1024):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(t_max, d)
        self.h = nn.ModuleList([Gpt2Block(d, h, t_max) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.lm_head.weight = self.wte.weight

    def forward(self, idx):
        t = idx.shape[1]
        pos = torch.arange(0, t, dtype=torch.long, device=idx.device).unsqueeze(0)
        x = self.wte(idx) + self.wpe(pos)
        for blk in self.h:
            x = blk(x)
        return self.lm_head(self.ln_f(x))


class BertLayer(nn.Module):
    def __init__(self, d, h, f):
        super().__init__()
        self.h = h
        self.query = nn.Linear(d, d)
        self.key = nn.Linear(d, d)
        self.value = nn.Linear(d, d)
        self.dense = nn.Linear(d, d)
        self.ln1 = nn.LayerNorm(d, eps=1e-12)
        self.intermediate = nn.Linear(d, f)
        self.output = nn.Linear(f, d)
        self.ln2 = nn.LayerNorm(d, eps=1e-12)
        self.drop = nn.Dropout(0.1)

    def heads(self, x):
        b, t, d = x.shape
        return x.view(b, t, self.h, d // self.h).permute(0, 2, 1, 3)

    def forward(self, x, mask):
        b, t, d = x.shape
        q, k, v = self.heads(self.query(x)), self.heads(self.key(x)), self.heads(self.value(x))
        s = torch.matmul(q, k.transpose(-1, -2)) / (d // self.h) ** 0.5 + mask
        a = self.drop(torch.softmax(s, dim=-1))
        c = torch.matmul(a, v).permute(0, 2, 1, 3).reshape(b, t, d)
        x = self.ln1(x + self.drop(self.dense(c)))
        return self.ln2(x + self.drop(self.output(F.gelu(self.intermediate(x)))))


class Bert(nn.Module):
    """BERT-base: 12 layers, d 768, 12 heads, FFN 3072, vocab 30522, with token types, an attention mask input and
    position ids from a cumulative sum of the mask (as padding-aware encoders compute them)."""
    def __init__(self, layers=12, d=768, h=12, f=3072, vocab=30522, t_max=512):
        super().__init__()
        self.word = nn.Embedding(vocab, d)
        self.position = nn.Embedding(t_max, d)
        self.token_type = nn.Embedding(2, d)
        self.ln = nn.LayerNorm(d, eps=1e-12)
        self.drop = nn.Dropout(0.1)  # as Hugging Face's BertEmbeddings (a no-op in the eval exports)
        self.layers = nn.ModuleList([BertLayer(d, h, f) for _ in range(layers)])

    def forward(self, input_ids, attention_mask):
        pos = torch.cumsum(attention_mask, dim=1) - 1
        x = self.word(input_ids) + self.position(pos) + self.token_type(torch.zeros_like(input_ids))
        x = self.drop(self.ln(x))
        mask = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, mask)
        return x


class LstmLm(nn.Module):
    """Word-level LSTM language model (Zaremba et al.'s medium configuration): 2 layers of 650, vocab 10000."""
    def __init__(self, vocab=10000, d=650, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.rnn = nn.LSTM(d, d, layers, batch_first=True, dropout=0.5)
        self.drop = nn.Dropout(0.5)
        self.decoder = nn.Linear(d, vocab)

    def forward(self, tokens):
        y, _ = self.rnn(self.drop(self.embed(tokens)))
        return self.decoder(self.drop(y))


class UNetBlock(nn.Module):
    def __init__(self, cin, cout, norm):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.n1 = nn.GroupNorm(8, cout) if norm == 'group' else nn.InstanceNorm2d(cout, affine=True) if norm == 'instance' else nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.n2 = nn.GroupNorm(8, cout) if norm == 'group' else nn.BatchNorm2d(cout)

    def forward(self, x):
        return F.relu(self.n2(self.conv2(F.relu(self.n1(self.conv1(x))))))


class UNet(nn.Module):
    """UNet (Ronneberger et al.) with padded convs, 4 levels from 32 channels, transposed-conv up-sampling on three
    levels and bilinear Resize on one, GroupNorm / InstanceNorm / BatchNorm blocks, and reflection padding."""
    def __init__(self, cin=3, classes=2, c=32):
        super().__init__()
        self.pad = nn.ReflectionPad2d(2)
        self.inc = UNetBlock(cin, c, 'instance')
        self.d1 = UNetBlock(c, 2 * c, 'group')
        self.d2 = UNetBlock(2 * c, 4 * c, 'group')
        self.d3 = UNetBlock(4 * c, 8 * c, 'batch')
        self.up3 = nn.ConvTranspose2d(8 * c, 4 * c, 2, stride=2)
        self.u3 = UNetBlock(8 * c, 4 * c, 'group')
        self.up2 = nn.ConvTranspose2d(4 * c, 2 * c, 2, stride=2)
        self.u2 = UNetBlock(4 * c, 2 * c, 'group')
        self.reduce1 = nn.Conv2d(2 * c, c, 1)
        self.u1 = UNetBlock(2 * c, c, 'batch')
        self.outc = nn.Conv2d(c, classes, 1)

    def forward(self, x):
        x = self.pad(x)[:, :, 2:-2, 2:-2]
        x1 = self.inc(x)
        x2 = self.d1(F.max_pool2d(x1, 2))
        x3 = self.d2(F.max_pool2d(x2, 2))
        x4 = self.d3(F.max_pool2d(x3, 2))
        y = self.u3(torch.cat([x3, self.up3(x4)], 1))
        y = self.u2(torch.cat([x2, self.up2(y)], 1))
        y = F.interpolate(self.reduce1(y), scale_factor=2, mode='bilinear', align_corners=False)
        y = self.u1(torch.cat([x1, y], 1))
        return self.outc(y)


class Seq2Seq(nn.Module):
    """Encoder-decoder transformer (Vaswani et al.'s base: d 512, 8 heads, FFN 2048, 6+6 layers) on nn.Transformer
    (seq-first), with shared source/target embeddings, a causal target mask and the output projection."""
    def __init__(self, vocab=8000, d=512, h=8, f=2048, layers=6):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.tf = nn.Transformer(d, h, layers, layers, f, dropout=0.1)
        self.proj = nn.Linear(d, vocab)

    def forward(self, src, tgt):
        t = tgt.shape[0]
        mask = torch.triu(torch.full((t, t), float('-inf')), diagonal=1)
        y = self.tf(self.embed(src), self.embed(tgt), tgt_mask=mask)
        return self.proj(y)


# ---------------------------------------------------------------------------------------------- the corpus

def tv(fn, **kw):
    return lambda: getattr(tvm, fn)(**kw)


IMG = ('input', lambda b: torch.randn(b, 3, 224, 224))
IMG299 = ('input', lambda b: torch.randn(b, 3, 299, 299))
NETS = [
    # name, constructor, inputs [(name, make(batch))], batch, extra variants, dynamic axes for op17
    ('resnet18', tv('resnet18'), [IMG], 2, ['train', 'op21'], {'input': {0: 'batch'}}),
    ('wide_resnet50_2', tv('wide_resnet50_2'), [IMG], 1, [], None),
    ('densenet121', tv('densenet121'), [IMG], 1, ['train'], None),
    ('efficientnet_b0', tv('efficientnet_b0'), [IMG], 1, [], None),
    ('mobilenet_v3_small', tv('mobilenet_v3_small'), [IMG], 2, ['train'], None),
    ('shufflenet_v2_x1_0', tv('shufflenet_v2_x1_0'), [IMG], 1, [], None),
    ('squeezenet1_1', tv('squeezenet1_1'), [IMG], 1, [], None),
    ('regnet_y_400mf', tv('regnet_y_400mf'), [IMG], 1, [], None),
    ('convnext_tiny', tv('convnext_tiny'), [IMG], 1, ['op21'], None),
    ('swin_t', tv('swin_t'), [IMG], 1, [], None),
    # the two torchvision networks the shared GPU measurement script also times (measure.py's NETS)
    ('googlenet', tv('googlenet', aux_logits=False, init_weights=False), [IMG], 2, ['train'], None),
    ('inception_v3', tv('inception_v3', aux_logits=False, init_weights=False), [IMG299], 2, ['train'], None),
    ('vit_b_16', tv('vit_b_16'), [IMG], 1, ['op21', 'train'], {'input': {0: 'batch'}}),
    ('gpt2_small', Gpt2, [('input_ids', lambda b: torch.randint(0, 50257, (b, 128)))], 1, ['op21', 'train'], {'input_ids': {0: 'batch', 1: 'seq'}}),
    ('bert_base', Bert, [('input_ids', lambda b: torch.randint(0, 30522, (b, 128))), ('attention_mask', lambda b: torch.ones(b, 128, dtype=torch.long))], 2, ['op21', 'train'], {'input_ids': {0: 'batch', 1: 'seq'}, 'attention_mask': {0: 'batch', 1: 'seq'}}),
    ('lstm_lm', LstmLm, [('tokens', lambda b: torch.randint(0, 10000, (b, 35)))], 4, [], {'tokens': {0: 'batch'}}),  # no training-mode export: PyTorch cannot export LSTM dropout in training mode
    ('unet', UNet, [IMG[0:1] + (lambda b: torch.randn(b, 3, 128, 128),)], 1, ['train'], None),
    ('transformer_seq2seq', Seq2Seq, [('src', lambda b: torch.randint(0, 8000, (32, b))), ('tgt', lambda b: torch.randint(0, 8000, (24, b)))], 2, [], {'src': {1: 'batch'}, 'tgt': {1: 'batch'}}),
]


class MatmulCount(TorchDispatchMode):
    """Counts the MACs of every matrix product and convolution PyTorch runs."""
    def __init__(self):
        super().__init__()
        self.macs = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        name = func.overloadpacket.__name__
        if name in ('mm', 'addmm', 'bmm', 'baddbmm'):
            a = args[1] if name in ('addmm', 'baddbmm') else args[0]
            b = args[2] if name in ('addmm', 'baddbmm') else args[1]
            self.macs += a.numel() * b.shape[-1]
        elif name == 'convolution':
            x, w = args[0], args[1]
            transposed = args[6]
            if transposed:  # every input element meets (K/groups)*R*S weights
                self.macs += x.numel() * w.shape[1] * w[0, 0].numel()
            else:
                self.macs += out.numel() * w[0].numel()
        return out


def hook_macs(model, inputs):
    """Forward MACs from module hooks (the modules that do matrix products)."""
    total = [0]

    def conv(m, i, o):
        total[0] += o.numel() * m.weight[0].numel()

    def convt(m, i, o):
        total[0] += i[0].numel() * m.weight.shape[1] * m.weight[0, 0].numel()

    def linear(m, i, o):
        total[0] += o.numel() * m.in_features

    def rnn(m, i, o):
        x = i[0]
        steps = x.shape[0] * x.shape[1]
        gates = {'LSTM': 4, 'GRU': 3}[type(m).__name__]
        h, dirs = m.hidden_size, 2 if m.bidirectional else 1
        for layer in range(m.num_layers):
            fin = m.input_size if layer == 0 else h * dirs
            total[0] += dirs * steps * gates * h * (fin + h)

    hs = []
    for mod in model.modules():
        if isinstance(mod, nn.Conv2d):
            hs.append(mod.register_forward_hook(conv))
        elif isinstance(mod, nn.ConvTranspose2d):
            hs.append(mod.register_forward_hook(convt))
        elif isinstance(mod, nn.Linear):
            hs.append(mod.register_forward_hook(linear))
        elif isinstance(mod, (nn.LSTM, nn.GRU)):
            hs.append(mod.register_forward_hook(rnn))
    with torch.no_grad():
        model(*inputs)
    for h in hs:
        h.remove()
    return total[0]


def upgrade(path_in, path_out, target=21):
    """Rewrites an opset-17 graph to `target`: ReduceMax/Min/Prod/L2/SumSquare/Mean take axes as an input from
    opset 18, Split gets num_outputs when it has no split input, and x*0.5*(1+erf(x/sqrt2)) becomes Gelu (20)."""
    import onnx
    from onnx import helper, numpy_helper
    import numpy as np
    m = onnx.load(path_in)
    g = m.graph
    nodes = list(g.node)
    new = []
    consts = []
    for n in nodes:
        if n.op_type in ('ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL2', 'ReduceSumSquare', 'ReduceL1', 'ReduceLogSumExp'):
            axes = [a for a in n.attribute if a.name == 'axes']
            if axes:
                name = n.name + '_axes'
                consts.append(numpy_helper.from_array(np.array(list(axes[0].ints), dtype=np.int64), name))
                n.input.append(name)
                n.attribute.remove(axes[0])
        if n.op_type == 'Split' and len(n.input) < 2:
            n.attribute.append(helper.make_attribute('num_outputs', len(n.output)))
        new.append(n)
    # Exact GELU: Div(x, 1.414) -> Erf -> Add(1) -> Mul(x, .) -> Mul(0.5)  =>  Gelu(x)
    prod = {o: n for n in new for o in n.output}
    users = {}
    for n in new:
        for i in n.input:
            users.setdefault(i, []).append(n)
    drop = set()
    for n in new:
        if n.op_type != 'Erf':
            continue
        div = prod.get(n.input[0])
        add = users.get(n.output[0], [None])[0]
        mul = users.get(add.output[0], [None])[0] if add is not None else None
        half = users.get(mul.output[0], [None])[0] if mul is not None else None
        if not (div is not None and div.op_type == 'Div' and add is not None and add.op_type == 'Add' and mul is not None and mul.op_type == 'Mul' and half is not None and half.op_type == 'Mul'):
            continue
        x = div.input[0]
        if x not in mul.input:
            continue
        gelu = helper.make_node('Gelu', [x], [half.output[0]], name=n.name.replace('Erf', 'Gelu'))
        drop.update(id(k) for k in (div, n, add, mul, half))
        new.append(gelu)
    kept = [n for n in new if id(n) not in drop]
    # keep topological order: put each Gelu where its last dropped node was
    order = []
    placed = set()
    avail = set(i.name for i in g.input) | set(i.name for i in g.initializer) | set(c.name for c in consts)
    pending = kept
    while pending:
        rest = []
        for n in pending:
            if all((not i) or i in avail for i in n.input):
                order.append(n)
                avail.update(n.output)
            else:
                rest.append(n)
        if len(rest) == len(pending):
            raise RuntimeError('cycle while re-sorting ' + path_in)
        pending = rest
    del g.node[:]
    g.node.extend(order)
    g.initializer.extend(consts)
    for o in m.opset_import:
        if o.domain in ('', 'ai.onnx'):
            o.version = target
    m.ir_version = 10
    onnx.save(m, path_out)


def main():
    import onnx
    from onnx.external_data_helper import convert_model_to_external_data
    os.makedirs(OUT, exist_ok=True)
    only = set(sys.argv[1:])
    manifest_path = os.path.join(OUT, 'manifest.json')
    manifest = json.load(open(manifest_path)) if os.path.exists(manifest_path) else {'networks': {}}
    for name, make, ins, batch, extras, dyn in NETS:
        if only and name not in only:
            continue
        print('exporting', name, flush=True)
        model = make().eval()
        inputs = tuple(mk(batch) for _, mk in ins)
        names = [n for n, _ in ins]
        hooks = hook_macs(model, inputs)
        # Counted in training mode: in eval mode nn.MultiheadAttention and nn.TransformerEncoderLayer take a fused
        # fast path (one aten op) whose matrix products the dispatch count would not see.
        model.train()
        with torch.no_grad(), MatmulCount() as mc:
            model(*inputs)
        model.eval()
        files = []

        def export(tag, opset, params, mode=torch.onnx.TrainingMode.EVAL, dynamic=None):
            path = os.path.join(OUT, f'{name}.{tag}.onnx')
            if mode == torch.onnx.TrainingMode.TRAINING:
                model.train()
            torch.onnx.export(model, inputs, path, input_names=names, output_names=['output'], opset_version=opset,
                              export_params=params, do_constant_folding=params and mode == torch.onnx.TrainingMode.EVAL,
                              training=mode, dynamic_axes=dynamic)
            model.eval()
            files.append({'file': os.path.basename(path), 'opset': opset, 'weights': 'none' if not params else 'external',
                          'mode': 'train' if mode == torch.onnx.TrainingMode.TRAINING else 'eval', 'dynamic': bool(dynamic)})
            return path

        lo = 14 if name == 'transformer_seq2seq' else 13  # Trilu (torch.triu) exists from opset 14
        export(f'op{lo}', lo, False)
        export('op17', 17, False, dynamic=dyn)
        p = export('op17-ext', 17, True)
        m = onnx.load(p)
        convert_model_to_external_data(m, all_tensors_to_one_file=True, location=f'{name}.op17-ext.data', size_threshold=0)
        onnx.save(m, p)
        os.remove(os.path.join(OUT, f'{name}.op17-ext.data'))
        if 'train' in extras:
            export('op17-train', 17, False, mode=torch.onnx.TrainingMode.TRAINING)
        if 'op21' in extras:
            base = export('op17-static', 17, False)
            upgrade(base, os.path.join(OUT, f'{name}.op21.onnx'))
            os.remove(base)
            files.pop()
            files.append({'file': f'{name}.op21.onnx', 'opset': 21, 'weights': 'none', 'mode': 'eval', 'dynamic': False, 'upgraded': True})
        shapes = {n: list(t.shape) for n, t in zip(names, inputs)}
        # Re-read before writing: runs for different networks may go on side by side.
        manifest = json.load(open(manifest_path)) if os.path.exists(manifest_path) else {'networks': {}}
        manifest['networks'][name] = {
            'batch': batch, 'inputs': shapes, 'params': sum(p.numel() for p in model.parameters()),
            'macs_hooks': hooks, 'macs_dispatch': mc.macs, 'files': files,
        }
        print(f'  {name}: hooks {hooks / 1e9:.4f} GMAC, dispatch {mc.macs / 1e9:.4f} GMAC', flush=True)
        manifest['exporter'] = f'torch {torch.__version__} torch.onnx.export (TorchScript-based)'
        json.dump(manifest, open(manifest_path, 'w'), indent=1, sort_keys=True)


if __name__ == '__main__':
    main()

// Spec texts shared by the spec tests and bench/spec.bench.ts: a hand-written-style ResNet-50 (torchvision
// layout, execution order as in layer-tables.json), a transformer block, and a generated N-layer network.

/** ResNet-50 (torchvision v1.5: stride in the 3x3 conv) as a network spec, layers in forward execution order. */
export function resnet50Yaml(batch = 32): string {
  const out: string[] = [
    'kind: network',
    'name: resnet50',
    `batch_size: ${batch}`,
    'precision: bf16',
    'optimizer: {type: momentum, lr: 0.1, momentum: 0.9, weight_decay: 1e-4}',
    'input_shape: [3, 224, 224]',
    'layers:',
    '  - {name: conv1, type: conv2d, out_channels: 64, kernel_size: 7, stride: 2, padding: 3, bias: false}',
    '  - {name: bn1, type: batchnorm}',
    '  - {name: relu, type: relu}',
    '  - {name: maxpool, type: maxpool, kernel_size: 3, stride: 2, padding: 1}',
  ];
  let prev = 'maxpool';
  const stages: [number, number, number][] = [
    [64, 3, 1],
    [128, 4, 2],
    [256, 6, 2],
    [512, 3, 2],
  ];
  stages.forEach(([planes, blocks, stride], si) => {
    for (let b = 0; b < blocks; b++) {
      const p = `layer${si + 1}.${b}`;
      const s = b === 0 ? stride : 1;
      out.push(
        `  - {name: ${p}.conv1, type: conv2d, out_channels: ${planes}, kernel_size: 1, bias: false, inputs: [${prev}]}`,
        `  - {name: ${p}.bn1, type: batchnorm}`,
        `  - {name: ${p}.relu1, type: relu}`,
        `  - {name: ${p}.conv2, type: conv2d, out_channels: ${planes}, kernel_size: 3, stride: ${s}, padding: 1, bias: false}`,
        `  - {name: ${p}.bn2, type: batchnorm}`,
        `  - {name: ${p}.relu2, type: relu}`,
        `  - {name: ${p}.conv3, type: conv2d, out_channels: ${planes * 4}, kernel_size: 1, bias: false}`,
        `  - {name: ${p}.bn3, type: batchnorm}`,
      );
      let shortcut = prev;
      if (b === 0) {
        out.push(
          `  - {name: ${p}.downsample.0, type: conv2d, out_channels: ${planes * 4}, kernel_size: 1, stride: ${s}, bias: false, inputs: [${prev}]}`,
          `  - {name: ${p}.downsample.1, type: batchnorm}`,
        );
        shortcut = `${p}.downsample.1`;
      }
      out.push(
        `  - {name: ${p}.add, type: add, inputs: [${p}.bn3, ${shortcut}]}`,
        `  - {name: ${p}.relu3, type: relu}`,
      );
      prev = `${p}.relu3`;
    }
  });
  out.push(
    '  - {name: avgpool, type: adaptive_avgpool, output_size: 1}',
    '  - {name: flatten, type: flatten}',
    '  - {name: fc, type: linear, out_features: 1000}',
  );
  return out.join('\n') + '\n';
}

/** One pre-norm transformer encoder block (T=128 tokens, d=256, 4 heads) in block-style YAML. */
export const TRANSFORMER_YAML = `kind: network
name: encoder
batch_size: 16
input_shape: [128]
optimizer: {type: adamw, lr: 3e-4}
layers:
  - name: embed
    type: embedding
    num_embeddings: 30000
    embedding_dim: 256
  - {name: ln1, type: layernorm}
  - {name: q, type: linear, out_features: 256, inputs: [ln1]}
  - {name: k, type: linear, out_features: 256, inputs: [ln1]}
  - {name: v, type: linear, out_features: 256, inputs: [ln1]}
  - {name: qh, type: reshape, shape: [128, 4, 64], inputs: [q]}
  - {name: qt, type: transpose, perm: [1, 0, 2]}
  - {name: kh, type: reshape, shape: [128, 4, -1], inputs: [k]}
  - {name: kt, type: transpose, perm: [1, 0, 2]}
  - {name: vh, type: reshape, shape: [128, 4, 64], inputs: [v]}
  - {name: vt, type: transpose, perm: [1, 0, 2]}
  - {name: scores, type: matmul, transpose_b: true, inputs: [qt, kt]}
  - {name: attn, type: softmax, axis: -1}
  - {name: ctx, type: matmul, inputs: [attn, vt]}
  - {name: ctxt, type: transpose, perm: [1, 0, 2]}
  - {name: merge, type: reshape, shape: [128, 256]}
  - {name: proj, type: linear, out_features: 256}
  - {name: res1, type: add, inputs: [proj, embed]}
  - {name: ln2, type: layernorm}
  - {name: ff1, type: linear, out_features: 1024}
  - {name: act, type: gelu}
  - {name: ff2, type: linear, out_features: 256}
  - {name: drop, type: dropout, p: 0.1}
  - {name: res2, type: add, inputs: [drop, res1]}
`;

/** A deep chain of `n` layers (conv/bn/relu repeated), block-style YAML as users write it. */
export function deepNetYaml(n: number): string {
  const out = ['kind: network', 'name: deep', 'batch_size: 8', 'input_shape: [16, 32, 32]', 'layers:'];
  const kinds = ['conv2d', 'batchnorm', 'relu'];
  for (let i = 0; i < n; i++) {
    const t = kinds[i % 3];
    out.push(`  - name: l${i}`, `    type: ${t}`);
    if (t === 'conv2d') out.push('    out_channels: 16', '    kernel_size: 3', '    padding: 1');
  }
  return out.join('\n') + '\n';
}

export const HARDWARE_YAML = `kind: hardware
targets:
  - name: ntx-64
    extends: ntx
    description: NTX with 64 clusters
    compute:
      clock: 1.25 GHz
  - name: ntx-64-fast
    extends: ntx-64
    compute:
      clock: 1.5 GHz
  - name: my-gpu
    kind: gpu
`;

// Spec texts shared by the protocol tests.
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';

/** A small valid network (3x32x32 input, batch 8) with a skip connection. */
export const TINY_NET = `kind: network
name: tiny
batch_size: 8
precision: fp32
input_shape: [3, 32, 32]
targets: [ntx]
layers:
  - name: conv1
    type: conv2d
    out_channels: 16
    kernel_size: 3
    padding: 1
  - {name: relu1, type: relu}
  - name: conv2
    type: conv2d
    out_channels: 16
    kernel_size: 3
    padding: 1
  - name: add1
    type: add
    inputs: [conv2, conv1]
  - {name: pool, type: global_avgpool}
  - {name: flat, type: flatten}
  - {name: fc, type: linear, out_features: 10}
`;

/** The same with a misspelt key (`kernal_size`) in conv1. */
export const TYPO_NET = TINY_NET.replace(
  '    kernel_size: 3\n    padding: 1\n  - {name: relu1',
  '    kernal_size: 3\n    padding: 1\n  - {name: relu1',
);

export const MY_HW = `kind: hardware
targets:
  - name: fast-ntx
    extends: ntx
    description: NTX with 32 clusters
    compute:
      clusters: 32
`;

const made: string[] = [];
process.on('exit', () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A temporary workspace folder with the given files (relative path -> text); removed when the test process exits. */
export function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'accelmap-lsp-'));
  made.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

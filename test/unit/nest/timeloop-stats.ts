// Timeloop's stats.txt read into the counts the reference tests and the mapper bench compare against.

export interface RefTensor {
  capacity: number;
  partition: number;
  instances: number;
  reads: number;
  fills: number;
  updates: number;
}
export interface Ref {
  cycles: number;
  computes: number;
  fJ: Record<string, number>;
  levels: Record<string, Record<string, RefTensor>>;
}

/** Timeloop's stats.txt: per `=== Level ===` block, per data space the STATS counts; the fJ/Compute summary. */
export function readStats(text: string): Ref {
  const ref: Ref = { cycles: 0, computes: 0, fJ: {}, levels: {} };
  const [body, summary] = text.split('Summary Stats');
  let level = '',
    tensor = '';
  for (const line of body.split('\n')) {
    const lv = /^=== (\S+) ===/.exec(line);
    if (lv) {
      level = lv[1];
      tensor = '';
      continue;
    }
    const ds = /^ {4}(\w+):\s*$/.exec(line);
    if (ds && level) {
      tensor = ds[1];
      (ref.levels[level] ??= {})[tensor] = { capacity: 0, partition: 0, instances: 0, reads: 0, fills: 0, updates: 0 };
      continue;
    }
    const kv = /^\s+([A-Za-z ()-]+?)\s*:\s*([0-9.e+-]+)/.exec(line);
    if (!kv || !tensor) continue;
    const t = ref.levels[level][tensor],
      v = Number(kv[2]);
    switch (kv[1]) {
      case 'Utilized capacity':
        t.capacity = v;
        break;
      case 'Partition size':
        t.partition = v;
        break;
      case 'Utilized instances (max)':
        t.instances = v;
        break;
      case 'Scalar reads (per-instance)':
        t.reads = v;
        break;
      case 'Scalar fills (per-instance)':
        t.fills = v;
        break;
      case 'Scalar updates (per-instance)':
        t.updates = v;
        break;
    }
  }
  ref.cycles = Number(/Cycles: (\d+)/.exec(summary)![1]);
  ref.computes = Number(/Computes = (\d+)/.exec(summary)![1]);
  for (const m of summary.split('fJ/Compute')[1].matchAll(/^\s+(\S+)\s+= ([0-9.]+)/gm)) ref.fJ[m[1]] = Number(m[2]);
  return ref;
}

// `npm run bench`: runs every bench/*.bench.ts module, prints its figures and keeps them in bench/results.json.
// Each module exports `name` and `run(): Promise<BenchRow[]>`. Goals are printed beside the figures; a miss is
// reported, not failed: speed goals live here, not in timed tests.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import os from 'node:os';

export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  goal?: string;
  ok?: boolean;
  note?: string;
}

const dir = join(__dirname);
const ROWS = 'ACCELMAP_BENCH_ROWS ';

// `--module <file>`: run one bench module in this process and print its rows on one marked line. The runner starts
// one such process per module, so a bench never runs beside another one's heap (its idle-time GC took a core from
// the next bench's timings on this 2-core machine).
const single = process.argv.indexOf('--module');
if (single >= 0) {
  (async () => {
    const mod = await import(join(dir, process.argv[single + 1]));
    const rows: BenchRow[] = await mod.run();
    process.stdout.write(`\n${ROWS}${JSON.stringify({ name: mod.name ?? process.argv[single + 1], rows })}\n`);
  })().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else main();

function runModule(f: string): { name: string; rows: BenchRow[] } {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--module', f], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20,
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith(ROWS));
  if (r.status !== 0 || !line) throw new Error(`bench ${f} failed (exit ${r.status})`);
  const res = JSON.parse(line.slice(ROWS.length)) as { name: string; rows: BenchRow[] };
  for (const row of res.rows) if (row.value === null) row.value = NaN; // JSON has no NaN
  return res;
}

function main(): void {
  const only = process.argv.slice(2);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const out: Record<string, BenchRow[]> = {};
  (async () => {
    for (const f of files) {
      if (only.length && !only.some((o) => f.includes(o))) continue;
      const { name, rows } = runModule(f);
      console.log(`\n## ${name}`);
      out[name] = rows;
      for (const r of rows) {
        const v = Math.abs(r.value) >= 100 ? r.value.toFixed(0) : r.value.toPrecision(3);
        const goal = r.goal ? `  (goal ${r.goal}: ${r.ok === false ? 'MISSED' : 'met'})` : '';
        console.log(`  ${r.metric.padEnd(58)} ${v.padStart(10)} ${r.unit}${goal}${r.note ? '  — ' + r.note : ''}`);
      }
    }
    const machine = {
      node: process.version,
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      date: new Date().toISOString(),
    };
    // a filtered run (`npm run bench -- sim`) replaces only its own sections of the kept figures
    let kept: Record<string, BenchRow[]> = {};
    if (only.length) {
      try {
        kept = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).results ?? {};
      } catch {
        kept = {};
      }
    }
    writeFileSync(join(dir, 'results.json'), JSON.stringify({ machine, results: { ...kept, ...out } }, null, 1) + '\n');
    console.log(`\nfigures kept in bench/results.json`);
  })().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

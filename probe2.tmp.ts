import { gpt } from './test/unit/system/gpt';
import { resolveTargets } from './server/src/spec/index';
import { simulate } from './server/src/sim/index';
const [t] = resolveTargets(['a100-sxm'], []).targets;
const net = gpt({ layers: 24, hidden: 2304, heads: 24, seq: 2048, vocab: 51200, batch: 1 });
const r = simulate(net, [t]).targets[0];
const by: Record<string, number> = {};
for (const l of r.layers) { const k = l.op + (l.name.includes('scores') ? ':scores' : l.name.includes('ctx') && l.op==='matmul' ? ':ctx' : ''); for (const p of l.phases) by[k+':'+p.phase] = (by[k+':'+p.phase] ?? 0) + p.timeS * 1e3; }
console.log('total ms', (r.totals.timeS*1e3).toFixed(1), 'flops', r.totals.flops.toExponential(3));
console.log(Object.entries(by).sort((a,b)=>b[1]-a[1]).slice(0,20).map(([k,v])=>`${k} ${v.toFixed(2)}`).join('\n'));
console.log(t.params['memory.hbm_size'], t.params['compute.peak_fp16'] ?? Object.keys(t.params).filter(k=>k.includes('peak')));

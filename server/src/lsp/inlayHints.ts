// Inlay hints: at the end of each layer's `name:` line, the layer's figures on one target of the last simulation —
// the one `accelmap.inlayHints.target` names, else the first — e.g. `▸ 1.23 ms · 4.5 mJ · mem-bound`, prefixed by the
// target's name when several were simulated; the tooltip lists the layer on every target. Layers are matched by name,
// so hints stay on the right line while the file is edited; they refresh on the next run. The code lens "Hints: …"
// picks the target (command accelmap.pickHintTarget). Setting: accelmap.inlayHints.enabled.
import { InlayHint, InlayHintKind, MarkupKind, type Range } from 'vscode-languageserver/node';
import type { NetworkModel } from '../spec/types';
import type { SimulationResult } from '../sim/types';
import { BOUND_LABEL, layerFigures, layerPhases, primaryTarget } from './layerSummary';
import { fmtEnergy, fmtTime } from './format';

/**
 * `lineEnd(line)` gives the character at the end of a line (without the newline): hints go at the end of the line
 * that holds the layer's `name:`, so flow-style layers (`- {name: conv1, type: conv2d, ...}`) are not split.
 */
export function inlayHints(
  net: NetworkModel | undefined,
  result: SimulationResult | undefined,
  range: Range,
  lineEnd?: (line: number) => number,
  targetName = '',
): InlayHint[] {
  if (!net || !result) return [];
  const target = hintTarget(result, targetName);
  if (!target) return [];
  const several = result.targets.length > 1;
  const out: InlayHint[] = [];
  for (const layer of net.layers) {
    const nameEnd = layer.ranges.name.end;
    if (nameEnd.line < range.start.line || nameEnd.line > range.end.line) continue;
    const at = lineEnd
      ? { line: nameEnd.line, character: Math.max(nameEnd.character, lineEnd(nameEnd.line)) }
      : nameEnd;
    const lp = layerPhases(target, layer.name);
    if (!lp) continue;
    const f = layerFigures({ phases: lp });
    const phases = lp.map(
      (p) => `| ${p.phase} | ${fmtTime(p.timeS)} | ${fmtEnergy(p.energyJ)} | ${p.bound} | ${p.engine} |`,
    );
    const others = several
      ? result.targets
          .map((t) => {
            const o = layerPhases(t, layer.name);
            if (!o) return '';
            const g = layerFigures({ phases: o });
            return `| ${t.name === target.name ? `**${t.name}**` : t.name} | ${fmtTime(g.timeS)} | ${fmtEnergy(g.energyJ)} | ${BOUND_LABEL[g.bound]} |`;
          })
          .filter(Boolean)
      : [];
    const figures =
      f.timeS > 0 || f.energyJ > 0
        ? `${fmtTime(f.timeS)} · ${fmtEnergy(f.energyJ)} · ${BOUND_LABEL[f.bound]}`
        : 'no cost';
    out.push({
      position: at,
      // Views (flatten, reshape) and unsupported layers cost nothing: say so instead of "0 s · 0 J · compute-bound".
      label: several ? `▸ ${target.name}: ${figures}` : `▸ ${figures}`,
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: {
        kind: MarkupKind.Markdown,
        value: [
          `**${layer.name}** on \`${target.name}\` (${target.kind}), one training step`,
          '',
          '| phase | time | energy | bound | engine |',
          '|---|---|---|---|---|',
          ...phases,
          ...(others.length
            ? ['', 'On every target:', '', '| target | time | energy | bound |', '|---|---|---|---|', ...others]
            : []),
        ].join('\n'),
      },
    });
  }
  return out;
}

/** The target the hints show: the named one when it was simulated, else the primary (first) one. */
export function hintTarget(result: SimulationResult, name: string) {
  return (name ? result.targets.find((t) => t.name === name) : undefined) ?? primaryTarget(result);
}

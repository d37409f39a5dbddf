// The server's shared state: open documents, settings, the analysis cache, the hardware index and the last
// simulation per network. Feature handlers read from here; only server.ts and validation.ts mutate it.
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { NestPhaseName, NetworkModel, SpecDocument, SpecDiagnostic, HardwareModel } from '../spec/types';
import { PRESET_SCHEME, type SimulateResponse } from './protocol';
import { AnalysisCache } from './analysisCache';
import { HardwareIndex, uriToPath } from './hardwareIndex';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import { classify, type SpecGuess } from './specFilter';
import { networkTargets, type NetworkTargets } from './targets';
import { simulationWarnings } from './simulationWarnings';
import { layerMappingText } from './pinMapping';

export interface ClientCaps {
  relatedInformation: boolean;
  configuration: boolean;
  configurationDynamic: boolean;
  inlayHintRefresh: boolean;
  codeLensRefresh: boolean;
  watchedFilesDynamic: boolean;
  workspaceFolders: boolean;
}

export class ServerState {
  readonly documents = new TextDocuments(TextDocument);
  settings: Settings = DEFAULT_SETTINGS;
  caps: ClientCaps = {
    relatedInformation: false,
    configuration: false,
    configurationDynamic: false,
    inlayHintRefresh: false,
    codeLensRefresh: false,
    watchedFilesDynamic: false,
    workspaceFolders: false,
  };
  workspaceFolders: string[] = [];
  readonly cache: AnalysisCache;
  readonly hardware: HardwareIndex;
  /** Last simulation per network uri. */
  readonly simulations = new Map<string, SimulateResponse>();
  private readonly kinds = new Map<string, { version: number; guess: SpecGuess }>();
  private readonly targetCache = new Map<string, { version: number; gen: number; value: NetworkTargets }>();
  /** Bumped whenever any hardware document changes, so target resolutions are recomputed. */
  hardwareGeneration = 0;

  constructor(readonly log: (m: string) => void) {
    this.cache = new AnalysisCache(log);
    this.hardware = new HardwareIndex(
      log,
      (p) => this.openDocByPath(p),
      () => this.openHardwareDocs(),
    );
  }

  /** Is this open document an accelmap spec? (name globs or a top-level `kind:`) */
  specGuess(uri: string): SpecGuess {
    const td = this.documents.get(uri);
    if (!td) return null;
    const hit = this.kinds.get(uri);
    if (hit && hit.version === td.version) return hit.guess;
    const guess = classify(uri, td.getText(), this.settings, td.languageId);
    this.kinds.set(uri, { version: td.version, guess });
    return guess;
  }

  isSpec(uri: string): boolean {
    return this.specGuess(uri) !== null;
  }

  /** The analysis of an open spec document at its current version (computed once per version). */
  analysis(uri: string): SpecDocument | undefined {
    const td = this.documents.get(uri);
    if (!td || !this.isSpec(uri)) return undefined;
    return this.cache.get(uri, td.version, () => td.getText());
  }

  network(uri: string): { doc: SpecDocument; net: NetworkModel } | undefined {
    const doc = this.analysis(uri);
    return doc?.network ? { doc, net: doc.network } : undefined;
  }

  hardwareModel(uri: string): { doc: SpecDocument; hw: HardwareModel } | undefined {
    const doc = this.analysis(uri);
    return doc?.hardware ? { doc, hw: doc.hardware } : undefined;
  }

  /** Target resolution for an open network (cached per version and hardware generation). */
  targets(uri: string): NetworkTargets | undefined {
    const n = this.network(uri);
    const td = this.documents.get(uri);
    if (!n || !td) return undefined;
    const hit = this.targetCache.get(uri);
    if (hit && hit.version === td.version && hit.gen === this.hardwareGeneration) return hit.value;
    const value = networkTargets(n.doc, n.net, this.hardware, this.settings.targets);
    this.targetCache.set(uri, { version: td.version, gen: this.hardwareGeneration, value });
    return value;
  }

  /** Everything to publish: the spec core's diagnostics, target-resolution ones, and fit warnings of the last run. */
  diagnostics(uri: string): SpecDiagnostic[] {
    const doc = this.analysis(uri);
    if (!doc) return [];
    const extra = doc.network ? [...(this.targets(uri)?.diagnostics ?? [])] : [];
    // Warnings from the last simulation, only while it belongs to this very version.
    const sim = this.simulations.get(uri);
    if (doc.network && sim?.result && sim.version === this.documents.get(uri)?.version) {
      const net = doc.network,
        targets = this.targets(uri)?.targets ?? [],
        json = doc.format === 'json';
      const ownMapping = (layer: string, phase: NestPhaseName, target: string) => {
        const l = net.layers.find((x) => x.name === layer),
          t = targets.find((x) => x.name === target);
        return l && t ? layerMappingText(net, l, t, json, phase, true) : undefined;
      };
      extra.push(...simulationWarnings(net, sim.result, ownMapping, json));
    }
    return extra.length ? [...doc.diagnostics, ...extra] : doc.diagnostics;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.kinds.delete(uri);
    this.targetCache.delete(uri);
  }

  /** Settings changed: classifications and target resolutions may differ now. */
  resetDerived(): void {
    this.kinds.clear();
    this.targetCache.clear();
    this.hardwareGeneration++;
  }

  specDocumentCount(): number {
    return this.documents.all().filter((d) => this.isSpec(d.uri)).length;
  }

  private openDocByPath(path: string): SpecDocument | undefined {
    for (const td of this.documents.all()) {
      if (uriToPath(td.uri) === path) return this.analysis(td.uri);
    }
    return undefined;
  }

  private openHardwareDocs(): SpecDocument[] {
    const out: SpecDocument[] = [];
    for (const td of this.documents.all()) {
      // Rendered presets (accelmap-preset:) must not shadow the built-in presets they show.
      if (td.uri.startsWith(PRESET_SCHEME + ':') || this.specGuess(td.uri) === 'network') continue;
      const a = this.analysis(td.uri);
      if (a?.kind === 'hardware') out.push(a);
    }
    return out;
  }
}

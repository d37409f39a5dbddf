// Validation of host <-> webview messages and of restored state (webview/src/protocol.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, parseHostMessage, parseState, parseWebviewMessage } from '../../webview/src/protocol';
import { fixtureResult } from './fixtures/result';

describe('webview protocol', () => {
  it('accepts well-formed host messages and rejects malformed ones', () => {
    const result = fixtureResult();
    assert.equal(
      parseHostMessage({ type: 'result', uri: 'file:///a', version: 1, elapsedMs: 3, result })?.type,
      'result',
    );
    assert.equal(
      parseHostMessage({
        type: 'result',
        uri: 'file:///a',
        version: 1,
        elapsedMs: 3,
        result: { ...result, targets: [{ name: 'x' }] },
      }),
      null,
    );
    assert.equal(parseHostMessage({ type: 'result', uri: 'file:///a', version: '1', elapsedMs: 3, result }), null);
    assert.deepEqual(parseHostMessage({ type: 'show', view: 'roofline' }), { type: 'show', view: 'roofline' });
    assert.equal(parseHostMessage({ type: 'show', view: 'pie' }), null);
    assert.equal(parseHostMessage({ type: 'eval', code: 'x' }), null);
    assert.equal(parseHostMessage(null), null);
    // the Mapping view's answer: a report with targets and phases, or an error; nothing else
    const report = {
      uri: 'file:///a',
      layer: 'conv1',
      op: 'conv2d',
      targets: [{ target: 'ntx', kind: 'ntx', phases: [] }],
    };
    assert.deepEqual(parseHostMessage({ type: 'mapping', uri: 'file:///a', layer: 'conv1', report }), {
      type: 'mapping',
      uri: 'file:///a',
      layer: 'conv1',
      report,
    });
    assert.deepEqual(parseHostMessage({ type: 'mapping', uri: 'file:///a', layer: 'conv1', error: 'no such layer' }), {
      type: 'mapping',
      uri: 'file:///a',
      layer: 'conv1',
      error: 'no such layer',
    });
    assert.equal(
      parseHostMessage({
        type: 'mapping',
        uri: 'file:///a',
        layer: 'conv1',
        report: { targets: [{ target: 'ntx', phases: 'x' }] },
      }),
      null,
    );
    assert.equal(parseHostMessage({ type: 'mapping', uri: 'file:///a', report }), null);
    assert.deepEqual(parseHostMessage({ type: 'show', view: 'mapping' }), { type: 'show', view: 'mapping' });
    // the Explain view's answer
    const ex = {
      network: 'n',
      target: 'ntx',
      kind: 'ntx',
      scope: {},
      timeS: 1,
      energyJ: 2,
      phases: [{ phase: 'fwd', timeS: 1, formulas: ['time 1 s'] }],
      sensitivities: [{ path: 'compute.clock', value: 1e9, time: -1, energy: 0, source: 'SRC preset ntx: x' }],
    };
    assert.deepEqual(parseHostMessage({ type: 'explain', uri: 'u', target: 'ntx', layer: '', report: ex }), {
      type: 'explain',
      uri: 'u',
      target: 'ntx',
      layer: '',
      report: ex,
    });
    assert.equal(
      parseHostMessage({
        type: 'explain',
        uri: 'u',
        target: 'ntx',
        layer: '',
        report: { ...ex, sensitivities: [{ path: 'x' }] },
      }),
      null,
    );
    assert.equal(parseHostMessage({ type: 'explain', uri: 'u', layer: '', error: 'x' }), null);
  });
  it('accepts well-formed webview messages only', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready', restored: false });
    assert.equal(
      parseWebviewMessage({
        type: 'rendered',
        info: { view: 'summary', target: null, targets: 1, layers: 2, timelineLanes: 0, rooflinePoints: 'x' },
      }),
      null,
    );
    assert.equal(parseWebviewMessage({ type: 'log', level: 'debug', message: 'x' }), null);
    assert.equal(
      (parseWebviewMessage({ type: 'log', level: 'info', message: 'y'.repeat(5000) }) as any).message.length,
      2000,
    );
    assert.deepEqual(parseWebviewMessage({ type: 'revealLayer', uri: 'u', layer: 'conv1' }), {
      type: 'revealLayer',
      uri: 'u',
      layer: 'conv1',
    });
    assert.deepEqual(parseWebviewMessage({ type: 'requestMapping', uri: 'u', layer: 'conv1' }), {
      type: 'requestMapping',
      uri: 'u',
      layer: 'conv1',
    });
    assert.equal(parseWebviewMessage({ type: 'requestMapping', uri: 'u' }), null);
    assert.deepEqual(parseWebviewMessage({ type: 'requestExplain', uri: 'u', target: 'ntx', layer: '' }), {
      type: 'requestExplain',
      uri: 'u',
      target: 'ntx',
      layer: '',
    });
    assert.equal(parseWebviewMessage({ type: 'requestExplain', uri: 'u', layer: 'conv1' }), null);
    assert.equal(
      parseWebviewMessage({
        type: 'rendered',
        info: { view: 'mapping', target: 'a', targets: 1, layers: 2, timelineLanes: 0, rooflinePoints: 0 },
      }),
      null,
    );
    assert.equal(
      parseWebviewMessage({
        type: 'rendered',
        info: {
          view: 'explain',
          target: 'a',
          targets: 1,
          layers: 2,
          timelineLanes: 0,
          rooflinePoints: 0,
          mappingPhases: 0,
        },
      }),
      null,
    );
    assert.deepEqual(parseWebviewMessage({ type: 'exportReport', uri: 'u' }), { type: 'exportReport', uri: 'u' });
    assert.deepEqual(
      parseWebviewMessage({ type: 'exportChart', name: 'roofline', dataUrl: 'data:image/png;base64,AAAA' }),
      { type: 'exportChart', name: 'roofline', dataUrl: 'data:image/png;base64,AAAA' },
    );
    // only PNG data URLs, a plain name (it becomes a file name), bounded size
    assert.equal(parseWebviewMessage({ type: 'exportChart', name: 'roofline', dataUrl: 'javascript:alert(1)' }), null);
    assert.deepEqual(
      parseWebviewMessage({ type: 'exportChart', name: 'roofline', dataUrl: 'data:image/svg+xml;base64,PHN2Zy8+' }),
      { type: 'exportChart', name: 'roofline', dataUrl: 'data:image/svg+xml;base64,PHN2Zy8+' },
    );
    assert.equal(
      parseWebviewMessage({ type: 'exportChart', name: 'roofline', dataUrl: 'data:text/html;base64,PHN2Zy8+' }),
      null,
    );
    assert.equal(
      parseWebviewMessage({ type: 'exportChart', name: '../../x', dataUrl: 'data:image/png;base64,AAAA' }),
      null,
    );
    assert.equal(
      parseWebviewMessage({
        type: 'exportChart',
        name: 'r',
        dataUrl: 'data:image/png;base64,' + 'A'.repeat(8_000_000),
      }),
      null,
    );
  });
  it('restores only the valid parts of a stored state', () => {
    assert.deepEqual(parseState(undefined), initialState());
    const s = parseState({
      view: 'layers',
      result: { bogus: true },
      target: 'ntx',
      sort: { key: 'name', dir: 'sideways' },
    });
    assert.equal(s.view, 'layers');
    assert.equal(s.result, null);
    assert.equal(s.target, 'ntx');
    assert.deepEqual(s.sort, initialState().sort);
  });
});

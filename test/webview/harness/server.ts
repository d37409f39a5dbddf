// Browser-test harness of the dashboard: builds webview/src/main.ts exactly like scripts/build.mjs does (into a
// temp dir), and serves on 127.0.0.1 the page VS Code would show (same HTML and CSP, from client/src/dashboardHtml.ts)
// plus a stub of acquireVsCodeApi and the --vscode-* theme variables of a light and a dark theme.
import * as esbuild from 'esbuild';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { dashboardHtml } from '../../../client/src/dashboardHtml';

export interface Harness {
  origin: string;
  url(theme: 'dark' | 'light'): string;
  close(): Promise<void>;
}

/** Stub of the VS Code webview API: posted messages are collected, state lives in sessionStorage (survives reload). */
const STUB = `
window.__posted = [];
window.acquireVsCodeApi = function () {
  return {
    postMessage: function (m) { window.__posted.push(JSON.parse(JSON.stringify(m))); },
    getState: function () { var s = sessionStorage.getItem('vscode-state'); return s ? JSON.parse(s) : undefined; },
    setState: function (s) { window.__stateWrites = (window.__stateWrites || 0) + 1; sessionStorage.setItem('vscode-state', JSON.stringify(s)); },
  };
};
document.body.className = document.documentElement.dataset.theme === 'light' ? 'vscode-light' : 'vscode-dark';
`;

// A subset of the variables VS Code's Light+ / Dark+ themes define (values as VS Code 1.9x sets them).
export const THEMES = {
  dark: {
    '--vscode-editor-foreground': '#cccccc',
    '--vscode-editor-background': '#1f1f1f',
    '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-panel-border': '#2b2b2b',
    '--vscode-font-family': 'sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-purple': '#b180d7',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-yellow': '#cca700',
    '--vscode-charts-foreground': '#cccccc',
    '--vscode-textLink-foreground': '#4daafc',
    '--vscode-focusBorder': '#0078d4',
  },
  light: {
    '--vscode-editor-foreground': '#3b3b3b',
    '--vscode-editor-background': '#ffffff',
    '--vscode-descriptionForeground': '#717171',
    '--vscode-panel-border': '#e5e5e5',
    '--vscode-font-family': 'sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-charts-blue': '#1a85ff',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-purple': '#652d90',
    '--vscode-charts-green': '#388a34',
    '--vscode-charts-red': '#e51400',
    '--vscode-charts-yellow': '#bf8803',
    '--vscode-charts-foreground': '#616161',
    '--vscode-textLink-foreground': '#005fb8',
    '--vscode-focusBorder': '#005fb8',
  },
} as const;

const themeCss = (t: 'dark' | 'light') =>
  `:root {\n${Object.entries(THEMES[t])
    .map(([k, v]) => `  ${k}: ${v};`)
    .join('\n')}\n}\n`;

export async function buildWebview(outdir: string): Promise<void> {
  // Same options as scripts/build.mjs's webview entry (browser, iife, es2022, chart.js bundled).
  await esbuild.build({
    bundle: true,
    sourcemap: true,
    logLevel: 'warning',
    legalComments: 'none',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['webview/src/main.ts'],
    outfile: join(outdir, 'webview.js'),
  });
}

export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'accelmap-webview-'));
  await buildWebview(dir);
  let origin = '';
  const page = (theme: 'dark' | 'light') => {
    const html = dashboardHtml({
      cspSource: origin,
      scriptUri: `${origin}/webview.js`,
      styleUri: `${origin}/webview.css`,
      nonce: 'harnessNonce0123456789abcdefABCDEF',
    });
    // The stub and the theme go in with the same nonce / origin as the real script, so the CSP stays the product's.
    return html
      .replace('<html lang="en">', `<html lang="en" data-theme="${theme}">`)
      .replace(
        '<link rel="stylesheet"',
        `<link rel="stylesheet" href="${origin}/theme-${theme}.css">\n<link rel="stylesheet"`,
      )
      .replace(
        '<script nonce=',
        `<script nonce="harnessNonce0123456789abcdefABCDEF" src="${origin}/stub.js"></script>\n<script nonce=`,
      );
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', origin).pathname;
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path === '/dark' || path === '/light')
      return send('text/html; charset=utf-8', page(path.slice(1) as 'dark' | 'light'));
    if (path === '/stub.js') return send('text/javascript', STUB);
    if (path === '/theme-dark.css') return send('text/css', themeCss('dark'));
    if (path === '/theme-light.css') return send('text/css', themeCss('light'));
    if (path === '/webview.js' || path === '/webview.css' || path === '/webview.js.map') {
      return send(path.endsWith('.css') ? 'text/css' : 'text/javascript', readFileSync(join(dir, path.slice(1))));
    }
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (t) => `${origin}/${t}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

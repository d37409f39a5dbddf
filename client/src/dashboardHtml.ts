// The dashboard's HTML shell. Pure (no `vscode`): the browser-test harness serves the very same page.
// CSP: nothing inline — the one script is allowed by nonce, styles and images only from the webview's own origin.

export interface DashboardHtmlInput {
  /** `webview.cspSource` (the origin that serves files under localResourceRoots). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

/** 32 characters from [A-Za-z0-9], from a CSPRNG when one is given. */
export function makeNonce(random: (n: number) => Uint8Array): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(random(32), (b) => abc[b % abc.length]).join('');
}

const attr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function csp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function dashboardHtml(i: DashboardHtmlInput): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp(i.cspSource, i.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attr(i.styleUri)}">
<title>accelmap dashboard</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="empty">Waiting for a simulation… Save a network spec or run “accelmap: Run Simulation”.</p></main>
<script nonce="${attr(i.nonce)}" src="${attr(i.scriptUri)}"></script>
</body>
</html>
`;
}

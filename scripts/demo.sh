#!/usr/bin/env bash
# The main job on the bundled examples: build, check every spec, then simulate each network on its targets.
# Usage: npm run demo   (after `npm ci`)
set -euo pipefail
cd "$(dirname "$0")/.."
npm run -s build
echo "== accelmap check examples/"
node dist/cli.js check examples/*.yaml
for net in examples/*.net.yaml; do
  echo
  echo "== accelmap simulate $net"
  node dist/cli.js simulate "$net"
done

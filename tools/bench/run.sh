#!/usr/bin/env bash
# Runs a TypeScript benchmark entry point with the workspace's path aliases.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export SWC_NODE_PROJECT="$root/tools/bench/tsconfig.json"
exec node --enable-source-maps -r @swc-node/register "$@"

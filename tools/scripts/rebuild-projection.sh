#!/usr/bin/env bash
# Usage: npm run projection:rebuild -- <service> <projection>     (with the service stopped)
# Empties one projection and drops its consumer; the service replays its stream on the next start.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
service="${1:?usage: projection:rebuild -- <service> <projection>}"
projection="${2:?usage: projection:rebuild -- <service> <projection>}"
cd "$root"
node tools/scripts/build-app.mjs "$service" >/dev/null
if [ -z "${API_KEYS:-}" ] && [ -s var/dev-api-key ]; then export API_KEYS="$(cat var/dev-api-key)"; fi
exec node --enable-source-maps "dist/apps/$service/apps/$service/src/rebuild-projection.js" "$projection"

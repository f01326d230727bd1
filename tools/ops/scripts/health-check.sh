#!/usr/bin/env bash
# Every service's readiness, version and error budget left; exit 1 when one is not ready. Usage: health-check.sh (--local | --stack <staging|production>) [--json]
# The seed's script name, kept for muscle memory: it runs `npm run ops -- health` (docs/operations.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
exec npm run --silent ops -- health "$@"

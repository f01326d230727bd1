#!/usr/bin/env bash
# Rolls a stack back: the other colour by default, or --to-previous-digest. Usage: rollback.sh --stack <staging|production> [--to-previous-digest] [--reason <text>]
# The seed's script name, kept for muscle memory: it runs `npm run ops -- rollback` (docs/operations.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
exec npm run --silent ops -- rollback "$@"

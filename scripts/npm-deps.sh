#!/usr/bin/env bash
# The npm packages the project's pages use: the card renderer of the local Teams outbox page (the demo's
# out/demo/teams-outbox/index.html and its Chromium test). `make demo` and `make test` both run it. Without
# npm it says so; the outbox page then lists the cards as text and says how to get the renderer.
set -euo pipefail
cd "$(dirname "$0")/.."
preview=graph_clients/teams/preview
if [ -f "$preview/package.json" ] && [ ! -d "$preview/node_modules" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "npm-deps: npm ci in $preview"
    (cd "$preview" && npm ci --no-audit --no-fund --silent) \
      || echo "npm-deps: npm ci failed in $preview: the Teams outbox page will list the cards as text"
  else
    echo "npm-deps: npm is not installed: the Teams outbox page will list the cards as text" \
         "(install Node.js and npm, then run make npm-deps); the card preview test will skip"
  fi
fi
tools=teams_app/tools  # Microsoft's Agents Playground (the bot tests) and the Teams app manifest schemas
if [ -f "$tools/package.json" ] && [ ! -d "$tools/node_modules" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "npm-deps: npm ci in $tools"
    (cd "$tools" && npm ci --no-audit --no-fund --silent) \
      || echo "npm-deps: npm ci failed in $tools: the Agents Playground and manifest schema tests will skip"
  else
    echo "npm-deps: npm is not installed: the Agents Playground and manifest schema tests will skip"
  fi
fi

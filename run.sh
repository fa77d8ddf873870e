#!/usr/bin/env bash
# The main job on a fresh machine: builds and starts the server (loopback, port 33083) with the getting-started
# example flow `test`. Pass `--begin` to begin the flow at once, `--port N` for another port. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/setup.sh
export PATH="$PWD/.tools/bin:$PATH"
exec dotnet run examples/getting-started/test.cs -- "$@"

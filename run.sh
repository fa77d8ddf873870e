#!/usr/bin/env bash
# The main job on a fresh machine: builds and runs the getting-started example (flow `test`, task `t1`).
set -euo pipefail
cd "$(dirname "$0")"
./scripts/setup.sh
exec dotnet run examples/getting-started/test.cs -- "$@"

#!/usr/bin/env bash
# The main job on a fresh machine: builds and starts the server with the getting-started example flow.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/setup.sh
exec dotnet run --project examples/getting-started/GettingStarted.csproj -c Release -- "$@"

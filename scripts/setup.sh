#!/usr/bin/env bash
# Installs what building, running and testing need, on a fresh machine. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet restore Takler.slnx -nologo -v q
# takler_client for jobs: published into .tools/bin (put it on PATH).
./scripts/install-cli.sh

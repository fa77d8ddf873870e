#!/usr/bin/env bash
# Installs what building, running and testing need, on a fresh machine. Safe to run again.
#  - the NuGet packages (dotnet restore);
#  - takler_client, published into .tools/bin (jobs call it by name: put .tools/bin on PATH).
# The wire-compatibility tests install their npm packages themselves (npm ci in their folders).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet restore Takler.slnx -nologo -v q
# takler_client for jobs: published into .tools/bin (put it on PATH).
./scripts/install-cli.sh

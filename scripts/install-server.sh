#!/usr/bin/env bash
# Publishes takler_server, ReadyToRun (linux-x64, framework-dependent, Release), into .tools/server/ of the repository:
#   .tools/server/takler_server --home DIR
# Precompiled code spares the server most of its JIT work at start: a restart of a 100,000-task home took about
# 1.5 s less CPU than the `dotnet build` output (bench/RESULTS.md, issue 8). The hot paths are still re-compiled
# with profile-guided optimisation once warm, as in the plain build.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/.tools/server"
rm -rf "$out"
dotnet publish src/Takler.ServerHost/Takler.ServerHost.csproj -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$out" -nologo -v q
echo "takler_server (ReadyToRun) installed in $out"

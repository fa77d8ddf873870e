#!/usr/bin/env bash
# Publishes takler_client (Release, ReadyToRun, linux-x64, framework-dependent) into .tools/bin/ of the repository.
# Put that folder on PATH so jobs find takler_client:  export PATH="$PWD/.tools/bin:$PATH"
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/.tools/bin"
mkdir -p "$out"
dotnet publish src/Takler.Cli/Takler.Cli.csproj -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$out" -nologo -v q
echo "takler_client installed in $out (add it to PATH: export PATH=\"$out:\$PATH\")"

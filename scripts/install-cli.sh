#!/usr/bin/env bash
# Publishes takler_client into .tools/bin/ of the repository. Put that folder on PATH so jobs find it:
#   export PATH="$PWD/.tools/bin:$PATH"
# TAKLER_CLI_PUBLISH chooses how: `aot` (default: Native AOT, a child command starts in ~30 ms of CPU instead of ~250;
# falls back to ReadyToRun when the ILCompiler package or a linker is missing) or `r2r` (ReadyToRun, framework-dependent).
# Both are linux-x64 Release builds.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/.tools/bin"
mode="${TAKLER_CLI_PUBLISH:-aot}"
project=src/Takler.Cli/Takler.Cli.csproj

publish_r2r() {
  dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$out" -nologo -v q
}

publish_aot() {
  local tmp="$PWD/.tools/aot-publish"
  rm -rf "$tmp"
  dotnet publish "$project" -c Release -r linux-x64 -p:PublishAot=true -o "$tmp" -nologo -v q || return 1
  # Only the native executable is needed; drop a previous ReadyToRun install's files so they cannot shadow it.
  rm -f "$out"/takler_client "$out"/takler_client.dll "$out"/takler_client.runtimeconfig.json "$out"/takler_client.deps.json
  cp "$tmp/takler_client" "$out/takler_client"
  rm -rf "$tmp"
}

mkdir -p "$out"
if [ "$mode" = "aot" ] && publish_aot; then
  echo "takler_client (Native AOT) installed in $out"
else
  [ "$mode" = "aot" ] && echo "Native AOT publish failed; publishing ReadyToRun instead" >&2
  publish_r2r
  echo "takler_client (ReadyToRun) installed in $out"
fi
echo "add it to PATH for jobs: export PATH=\"$out:\$PATH\""

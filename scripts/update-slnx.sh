#!/usr/bin/env bash
# Rewrites Takler.slnx from the projects under src/, tests/, bench/ and examples/ (one place lists them: the folders).
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo '<Solution>'
  for folder in src tests bench; do
    projects=$(find "$folder" -name '*.csproj' -not -path '*/obj/*' -not -path '*/bin/*' 2>/dev/null | sort)
    [ -n "$projects" ] || continue
    echo "  <Folder Name=\"/$folder/\">"
    for p in $projects; do echo "    <Project Path=\"$p\" />"; done
    echo '  </Folder>'
  done
  echo '</Solution>'
} > Takler.slnx

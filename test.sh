#!/usr/bin/env bash
# Runs every test of the solution on a fresh machine: installs what the tests need, builds, tests,
# and ends with one summary line "N passed, N failed[, N skipped]".
set -euo pipefail
cd "$(dirname "$0")"
./scripts/setup.sh
dotnet build Takler.slnx -c Release -nologo -v q
rm -rf TestResults
status=0
dotnet test Takler.slnx -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory TestResults || status=$?
passed=0; failed=0; skipped=0
for trx in TestResults/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"

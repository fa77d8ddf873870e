#!/usr/bin/env bash
# Side by side with ecFlow (apt-get install -y ecflow-client ecflow-server) on the same generated definition:
# our reader in process (cold and warm); then, interleaved, whole processes that load and check the file once:
#   takler (JIT)          dotnet Takler.Defs.Benchmarks.dll --load-only FILE        (default runtime settings)
#   takler (JIT, TC off)  the same with DOTNET_TieredCompilation=0
#   takler (Native AOT)   the same program published with -p:PublishAot=true, the form `takler_client` is installed
#                         in by default (scripts/install-cli.sh)
#   takler_client check   only when .tools/bin/takler_client exists (scripts/install-cli.sh)
#   ecflow_client --load=FILE check_only
# and the median user+system CPU time of each (the machine is shared, so wall times are noise); then the RSS of an
# ecflow_server that has loaded the file.
# Usage: bench/Takler.Defs.Benchmarks/compare-ecflow.sh [tasks] [runs]   (defaults: 100000 tasks, 5 runs each)
# TAKLER_BENCH_NO_AOT=1 skips the Native AOT publish (it needs the ILCompiler package and a C toolchain).
set -euo pipefail
cd "$(dirname "$0")/../.."
tasks=${1:-100000}
runs=${2:-5}
file=$(mktemp --suffix=.def)
aot_dir=$(mktemp -d)
timing=$(mktemp)
dll=bench/Takler.Defs.Benchmarks/bin/Release/net10.0/Takler.Defs.Benchmarks.dll
dotnet build bench/Takler.Defs.Benchmarks -c Release -nologo -v q >/dev/null
aot=""
if [ -z "${TAKLER_BENCH_NO_AOT:-}" ] &&
  dotnet publish bench/Takler.Defs.Benchmarks -c Release -r linux-x64 -p:PublishAot=true -o "$aot_dir" -nologo -v q >/dev/null 2>&1; then
  aot="$aot_dir/Takler.Defs.Benchmarks"
fi
client=""
[ -x .tools/bin/takler_client ] && client=.tools/bin/takler_client

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== Takler, in process: dotnet $dll --tasks $tasks --file FILE --keep"
dotnet "$dll" --tasks "$tasks" --file "$file" --keep

declare -A cpus
# Runs one whole process under /usr/bin/time; prints its line and keeps its user+system seconds under $1.
measure() {
  local label=$1
  shift
  /usr/bin/time -o "$timing" -f "%e %U %S %M" "$@" >/dev/null 2>&1 || true
  read -r wall user sys rss <"$timing"
  local cpu
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  cpus[$label]="${cpus[$label]:-} $cpu"
  printf '%-24s %6s s wall, %s+%s = %s s CPU, %s KB max RSS\n' "$label" "$wall" "$user" "$sys" "$cpu" "$rss"
}

labels=("takler (JIT)" "takler (JIT, TC off)")
[ -n "$aot" ] && labels+=("takler (Native AOT)")
[ -n "$client" ] && labels+=("takler_client check")
labels+=("ecflow_client")
for run in $(seq "$runs"); do
  echo "== run $run (load average $(cut -d' ' -f1 /proc/loadavg))"
  measure "takler (JIT)" dotnet "$dll" --load-only "$file"
  measure "takler (JIT, TC off)" env DOTNET_TieredCompilation=0 dotnet "$dll" --load-only "$file"
  [ -n "$aot" ] && measure "takler (Native AOT)" "$aot" --load-only "$file"
  [ -n "$client" ] && measure "takler_client check" "$client" check "$file"
  measure "ecflow_client" ecflow_client --load="$file" check_only
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ecflow=$(echo "${cpus[ecflow_client]}" | median)
echo "== median CPU (user+system) of $runs runs, and the ratio to ecflow_client"
for label in "${labels[@]}"; do
  m=$(echo "${cpus[$label]}" | median)
  printf '%-24s %s s  ratio %s  [%s ]\n' "$label" "$m" "$(awk -v a="$m" -v b="$ecflow" 'BEGIN { printf "%.2f", a / b }')" "${cpus[$label]}"
done

home=$(mktemp -d)
port=$((31000 + RANDOM % 2000))
(cd "$home" && ECF_HOME="$home" exec ecflow_server --port "$port" >"$home/server.out" 2>&1) &
server=$!
for _ in $(seq 50); do ecflow_client --port "$port" --ping >/dev/null 2>&1 && break; sleep 0.2; done
echo "== ecflow_server $(ecflow_client --version | cut -d' ' -f2), pid $server, port $port"
echo "RSS before load: $(awk '/VmRSS/ {print $2, $3}' /proc/$server/status)"
/usr/bin/time -f "ecflow_client --port $port --load=FILE: %e s wall" ecflow_client --port "$port" --load="$file"
echo "RSS after load:  $(awk '/VmRSS/ {print $2, $3}' /proc/$server/status)"
ecflow_client --port "$port" --terminate=yes >/dev/null
wait "$server" || true
rm -rf "$home" "$file" "$file.out" "$aot_dir" "$timing"

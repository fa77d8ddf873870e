#!/usr/bin/env bash
# Side by side with ecFlow (apt-get install -y ecflow-client ecflow-server) on the same generated definition:
# our reader in process (cold and warm) and as a whole process (default runtime settings, then with tiered
# compilation off), ecflow_client --load=FILE check_only, and the RSS of an ecflow_server that has loaded the file.
# Usage: bench/Takler.Defs.Benchmarks/compare-ecflow.sh [tasks] [runs]   (defaults: 100000 tasks, 3 runs each)
set -euo pipefail
cd "$(dirname "$0")/../.."
tasks=${1:-100000}
runs=${2:-3}
file=$(mktemp --suffix=.def)
dll=bench/Takler.Defs.Benchmarks/bin/Release/net10.0/Takler.Defs.Benchmarks.dll
dotnet build bench/Takler.Defs.Benchmarks -c Release -nologo -v q >/dev/null
timing='%e s wall, %U+%S s CPU, %M KB max RSS'

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== Takler, in process: dotnet $dll --tasks $tasks --file FILE --keep"
dotnet "$dll" --tasks "$tasks" --file "$file" --keep
for run in $(seq "$runs"); do
  echo "== run $run (load average $(cut -d' ' -f1 /proc/loadavg))"
  /usr/bin/time -f "takler process (default):      $timing" dotnet "$dll" --load-only "$file"
  DOTNET_TieredCompilation=0 /usr/bin/time -f "takler process (TC off):       $timing" dotnet "$dll" --load-only "$file"
  /usr/bin/time -f "ecflow_client --load check_only: $timing" ecflow_client --load="$file" check_only
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
rm -rf "$home" "$file" "$file.out"

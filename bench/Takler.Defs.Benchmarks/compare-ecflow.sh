#!/usr/bin/env bash
# Side by side with ecFlow (apt-get install -y ecflow-client ecflow-server) on the same generated definition:
# our reader in process (cold and warm) and as a whole process, ecflow_client --load=FILE check_only, and the RSS
# of an ecflow_server that has loaded the file.   Usage: compare-ecflow.sh [tasks]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/../.."
tasks=${1:-100000}
file=$(mktemp --suffix=.def)
dll=bench/Takler.Defs.Benchmarks/bin/Release/net10.0/Takler.Defs.Benchmarks.dll
dotnet build bench/Takler.Defs.Benchmarks -c Release -nologo -v q >/dev/null

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== Takler (in process)"
dotnet "$dll" --tasks "$tasks" --file "$file" --keep
echo "== Takler (whole process: dotnet $dll --load-only FILE)"
for i in 1 2 3; do
  /usr/bin/time -f "process         %e s wall, %M KB max RSS" dotnet "$dll" --load-only "$file"
done
echo "== ecFlow $(ecflow_client --version | cut -d' ' -f2)"
for i in 1 2 3; do
  /usr/bin/time -f "ecflow_client --load=FILE check_only: %e s wall, %M KB max RSS" ecflow_client --load="$file" check_only
done

home=$(mktemp -d)
port=$((31000 + RANDOM % 2000))
(cd "$home" && ECF_HOME="$home" exec ecflow_server --port "$port" >"$home/server.out" 2>&1) &
server=$!
for _ in $(seq 50); do ecflow_client --port "$port" --ping >/dev/null 2>&1 && break; sleep 0.2; done
echo "ecflow_server RSS before load: $(awk '/VmRSS/ {print $2, $3}' /proc/$server/status)"
/usr/bin/time -f "ecflow_client --port $port --load=FILE: %e s wall" ecflow_client --port "$port" --load="$file"
echo "ecflow_server RSS after load:  $(awk '/VmRSS/ {print $2, $3}' /proc/$server/status)"
ecflow_client --port "$port" --terminate=yes >/dev/null
wait "$server" || true
rm -rf "$home" "$file" "$file.out"

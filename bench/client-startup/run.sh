#!/usr/bin/env bash
# Client start-up, side by side with ecFlow (issue 6): `takler_client ping` and a child command (`meter`) as whole
# processes, Native AOT and ReadyToRun builds, against `ecflow_client --ping` and `ecflow_client --meter`.
# Needs: hyperfine, ecflow-client, ecflow-server (apt-get install -y hyperfine ecflow-client ecflow-server).
# Usage: bench/client-startup/run.sh [RUNS]   (default 60). Prints a Markdown table of medians and CPU times.
# A .NET "hello world" (framework-dependent, ReadyToRun, same settings) is timed beside them as the floor of any .NET
# process. TAKLER_BENCH_AOT / TAKLER_BENCH_R2R: use these takler_client executables instead of publishing them.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-60}"
work="$(mktemp -d /tmp/takler-client-bench.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "building (Native AOT, ReadyToRun, hello world, server) ..." >&2
aot="${TAKLER_BENCH_AOT:-$work/aot/takler_client}"; r2r="${TAKLER_BENCH_R2R:-$work/r2r/takler_client}"
[ -n "${TAKLER_BENCH_AOT:-}" ] || dotnet publish src/Takler.Cli/Takler.Cli.csproj -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" -nologo -v q >&2
[ -n "${TAKLER_BENCH_R2R:-}" ] || dotnet publish src/Takler.Cli/Takler.Cli.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/r2r" -nologo -v q >&2
mkdir -p "$work/hello"
cat > "$work/hello/hello.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <InvariantGlobalization>true</InvariantGlobalization>
    <UseSystemResourceKeys>true</UseSystemResourceKeys>
    <TieredPGO>false</TieredPGO>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
</Project>
XML
echo 'System.Console.WriteLine("hello");' > "$work/hello/Program.cs"
dotnet publish "$work/hello/hello.csproj" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/hello/out" -nologo -v q >&2
hello="$work/hello/out/hello"
dotnet build src/Takler.ServerHost/Takler.ServerHost.csproj -c Release -nologo -v q >&2

cat > "$work/b.def" <<'DEF'
suite b
  family f
    task t1
      meter m 0 100
  endfamily
endsuite
DEF

# Takler for .NET server: the task forced active, child commands accepted without a job password.
tport=$(free_port)
src/Takler.ServerHost/bin/Release/net10.0/takler_server --port "$tport" --home "$work" --load "$work/b.def" \
  --loopback-only --allow-passwordless-child > "$work/takler_server.log" 2>&1 &
pids+=($!)
TAKLER_TIMEOUT=30 "$aot" ping --port "$tport" >/dev/null
"$aot" begin --port "$tport" b >/dev/null
"$aot" force --port "$tport" active /b/f/t1 >/dev/null

# ecFlow server: same suite, task forced active; ECF_PASS=FREE skips ecFlow's password check.
eport=$(free_port)
mkdir -p "$work/ecf"
(cd "$work/ecf" && ECF_HOME="$work/ecf" exec ecflow_server --port "$eport" > "$work/ecflow_server.log" 2>&1) &
pids+=($!)
for _ in $(seq 1 600); do ecflow_client --port "$eport" --ping >/dev/null 2>&1 && break; sleep 0.1; done
ecflow_client --port "$eport" --load="$work/b.def" >/dev/null
ecflow_client --port "$eport" --restart >/dev/null
ecflow_client --port "$eport" --begin=b >/dev/null
ecflow_client --port "$eport" --force=active /b/f/t1 >/dev/null

export ECF_NAME=/b/f/t1 ECF_PASS=FREE ECF_TRYNO=1 ECF_RID=1 ECF_TIMEOUT=20
hyperfine -N --warmup 5 --runs "$runs" --export-json "$work/results.json" \
  -n "dotnet hello world (R2R)" "$hello" \
  -n "takler_client ping (AOT)" "$aot ping --port $tport" \
  -n "takler_client meter (AOT)" "$aot meter --port $tport --node-path /b/f/t1 m 5" \
  -n "takler_client ping (R2R)" "$r2r ping --port $tport" \
  -n "takler_client meter (R2R)" "$r2r meter --port $tport --node-path /b/f/t1 m 5" \
  -n "ecflow_client --ping" "ecflow_client --port $eport --ping" \
  -n "ecflow_client --meter" "ecflow_client --port $eport --meter=m 5" >&2

python3 - "$work/results.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["results"]
print("| command | median [ms] | mean ± σ [ms] | min [ms] | user [ms] | system [ms] |")
print("|:---|---:|---:|---:|---:|---:|")
for r in rows:
    ms = lambda v: f"{v*1000:.1f}"
    print(f"| {r['command']} | {ms(r['median'])} | {ms(r['mean'])} ± {ms(r['stddev'])} | {ms(r['min'])} | {ms(r['user'])} | {ms(r['system'])} |")
PY

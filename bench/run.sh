#!/usr/bin/env bash
# One benchmark suite, side by side with ecFlow, end to end (issue 9). See bench/README.md.
#
# Starts an ecflow_server and a takler_server (each on a free loopback port, in its own temporary home), runs the same
# workloads on each from the same generated .def files and .ecf scripts, stops them, and writes a Markdown section
# with each figure for ecFlow, for us and the ratio (medians of --runs runs).
#
# Usage: bench/run.sh [--quick] [--no-install] [--no-build] [--no-ecflow] [--runs N] [--job-runs N] [--out FILE]
#   --quick       tiny sizes, one run, a few seconds per workload; never writes bench/RESULTS.md (only --out)
#   --no-install  do not apt-get install ecflow-server ecflow-client python3-ecflow when missing (--quick implies it)
#   --no-build    build only what is missing (the test suite has built everything already)
#   --no-ecflow   measure us only
#   --runs N      runs per workload, the median reported (default 3; --quick: 1)
#   --job-runs N  runs of the two slow job workloads (chain, fan-out) only (default: --runs)
#   --ecflow-from LOG  do not run ecFlow: take its figures from the log (stderr) of an earlier run (repeatable);
#                 figures of ours in the log are added too (with --runs 0: only a report from earlier runs' logs)
#   --out FILE    write the section there; without it (full mode) it replaces "## Issue 9 ..." in bench/RESULTS.md
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

quick=0 install=1 build=1 want_ecflow=1 runs=3 job_runs="" out="" ecflow_logs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; install=0; runs=1 ;;
    --no-install) install=0 ;;
    --no-build) build=0 ;;
    --no-ecflow) want_ecflow=0 ;;
    --runs) runs="$2"; shift ;;
    --job-runs) job_runs="$2"; shift ;;
    --out) out="$2"; shift ;;
    --ecflow-from) ecflow_logs+=("$2"); shift ;;
    *) echo "unknown option: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done

job_runs=${job_runs:-$runs}
if [ "$quick" = 1 ]; then
  big=1000 chain=5 fan=20 limit=5 seconds=1 warmup=0.5 tree_runs=2
else
  big=100000 chain=200 fan=1000 limit=50 seconds=5 warmup=3 tree_runs=5
fi

warmup_us=$(awk -v w="$warmup" 'BEGIN { printf "%d", w * 1000000 }')
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
now() { echo "${EPOCHREALTIME/,/.}"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# ---- ecFlow: install when missing ----
python=/usr/bin/python3
ecflow_missing() {
  ! command -v ecflow_server >/dev/null || ! command -v ecflow_client >/dev/null || ! "$python" -c 'import ecflow' 2>/dev/null
}
ecflow=0 ecflow_why=""
if [ "$want_ecflow" = 1 ]; then
  if ecflow_missing && [ "$install" = 1 ]; then
    log "installing ecflow-server ecflow-client python3-ecflow"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ecflow-server ecflow-client python3-ecflow >&2
  fi
  if ecflow_missing; then
    ecflow_why="ecFlow is not installed (ecflow-server, ecflow-client, python3-ecflow); run without --quick/--no-install to install it"
  else
    ecflow=1
  fi
else
  ecflow_why="--no-ecflow"
fi
[ -n "$ecflow_why" ] && log "ecFlow not measured: $ecflow_why"

# ---- our binaries ----
# Measured: takler_server published ReadyToRun (scripts/install-server.sh), less JIT at start (issue 8). --quick (the
# test suite) runs the build output instead, so that it always tests the code just built.
server_bin=.tools/server/takler_server
[ "$quick" = 1 ] && server_bin=src/Takler.ServerHost/bin/Release/net10.0/takler_server
bench_dll=bench/Takler.EndToEnd.Benchmarks/bin/Release/net10.0/Takler.EndToEnd.Benchmarks.dll
cli=$repo/.tools/bin/takler_client
if [ "$build" = 1 ] || [ ! -f "$bench_dll" ] || [ ! -x src/Takler.ServerHost/bin/Release/net10.0/takler_server ]; then
  log "building takler_server and the bench program (Release)"
  dotnet build bench/Takler.EndToEnd.Benchmarks -c Release -nologo -v q >&2
fi
if [ "$quick" = 0 ] && { [ "$build" = 1 ] || [ ! -x "$server_bin" ]; }; then
  log "publishing takler_server into .tools/server (scripts/install-server.sh)"
  ./scripts/install-server.sh >&2
fi
if [ "$build" = 1 ] || [ ! -x "$cli" ]; then
  log "installing takler_client into .tools/bin (scripts/install-cli.sh)"
  ./scripts/install-cli.sh >&2
fi
bench() { dotnet "$repo/$bench_dll" "$@"; }

# ---- scratch space, servers, clean-up ----
work=$(mktemp -d /tmp/takler-bench9.XXXXXX)
server_pid=""
sampler_pid=""
server_args=()
cleanup() {
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null || true
  if [ -n "$server_pid" ]; then # an ecflow_server can outlive SIGTERM
    kill "$server_pid" 2>/dev/null || true
    sleep 1
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# A free loopback port below 49152 (ecflow_server refuses the dynamic range).
free_port() {
  "$python" -c '
import random, socket
while True:
    port = random.randint(20000, 49151)
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    print(port)
    break'
}
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# Each system: the head.h/tail.h its jobs include (the system-specific part, as in any ecFlow installation), how to
# start and stop its server, and its CLI's commands. Everything else (the .def files, the .ecf scripts) is shared.
write_headers() { # SYSTEM HOME
  if [ "$1" = ecflow ]; then
    cat > "$2/head.h" <<'EOF'
set -eu
export ECF_PORT=%ECF_PORT% ECF_HOST=localhost ECF_NAME=%ECF_NAME% ECF_PASS=%ECF_PASS% ECF_TRYNO=%ECF_TRYNO% ECF_RID=$$
ecflow_client --init=$$
EOF
    echo 'ecflow_client --complete' > "$2/tail.h"
  else
    cat > "$2/head.h" <<'EOF'
set -eu
takler_client init $$
EOF
    echo 'takler_client complete' > "$2/tail.h"
  fi
}

start_server() { # SYSTEM HOME PORT: sets server_pid, waits until it answers
  local system=$1 home=$2 port=$3
  write_headers "$system" "$home"
  if [ "$system" = ecflow ]; then
    (cd "$home" && ECF_HOME="$home" exec ecflow_server --port "$port" >>"$home/server.log" 2>&1) &
  else
    (cd "$home" && PATH="$repo/.tools/bin:$PATH" exec "$repo/$server_bin" --port "$port" --home "$home" --loopback-only "${server_args[@]}" >>"$home/server.log" 2>&1) &
  fi
  server_args=()
  server_pid=$!
  port_of_server=$port
  for _ in $(seq 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && TAKLER_TIMEOUT=0 client "$system" "$port" ping >/dev/null 2>&1; then
      [ "$system" = ecflow ] && ecflow_client --port "$port" --restart >/dev/null
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$home/server.log" >&2; echo "$system server exited" >&2; exit 1; }
    sleep 0.05
  done
  echo "$system server did not answer on port $port" >&2; exit 1
}

stop_server() { # SYSTEM
  if [ "$1" = ecflow ]; then
    ecflow_client --port "$port_of_server" --terminate=yes >/dev/null 2>&1 || kill "$server_pid" 2>/dev/null || true
  else
    kill "$server_pid" 2>/dev/null || true
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

# TAKLER_TIMEOUT=0: one attempt, no retry with back-off, for polling (ecflow_client fails at once too).
client() { # SYSTEM PORT VERB ARGS...: one CLI process per command, the same verbs for both
  local system=$1 port=$2 verb=$3; shift 3
  if [ "$system" = ecflow ]; then
    case "$verb" in
      ping) ecflow_client --port "$port" --ping ;;
      load) ecflow_client --port "$port" --load="$1" ;;
      begin) ecflow_client --port "$port" --begin="$1" ;;
      get) ecflow_client --port "$port" --get ;;
      force) ecflow_client --port "$port" --force="$1" recursive "$2" ;;
      checkpoint) ecflow_client --port "$port" --check_pt ;;
      state) ecflow_client --port "$port" --query state "$1" ;;
      meter) ecflow_client --port "$port" --meter="$1" "$2" ;;
      init) ecflow_client --port "$port" --init="$1" ;;
    esac
  else
    case "$verb" in
      ping) "$cli" ping --port "$port" ;;
      load) "$cli" load --port "$port" "$1" ;;
      begin) "$cli" begin --port "$port" "$1" ;;
      get) "$cli" show --port "$port" --json ;;
      force) "$cli" force --port "$port" "$1" "$2" ;;
      checkpoint) "$cli" checkpoint --port "$port" ;;
      state) "$cli" status --port "$port" "$1" ;;
      meter) "$cli" meter --port "$port" "$1" "$2" ;;
      init) "$cli" init --port "$port" "$1" ;;
    esac
  fi
}

# Results: name -> space-separated values of every run; the median is reported.
declare -A results
record() { results["$1"]="${results[$1]:-} $2"; log "  $1 = $2"; }
median() { # of an even count: the mean of the middle two, with the values' precision
  tr ' ' '\n' <<<"$1" | { grep -v '^$' || true; } | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print ""; exit }
    if (NR % 2) { print v[(NR + 1) / 2]; exit }
    m = (v[NR / 2] + v[NR / 2 + 1]) / 2; d = split(v[NR / 2], parts, "."); printf (d > 1 ? "%.3f\n" : "%.0f\n"), m }'
}

# ---- the shared definitions and scripts ----
scripts=$work/scripts
mkdir -p "$scripts"
bench def --tasks "$big" --out "$work/big.def"
cat > "$scripts/job.ecf" <<'EOF'
%include <head.h>
%include <tail.h>
date +%%s.%%N >> %ECF_HOME%/done.log
EOF
{
  echo "suite chain"
  echo "  edit ECF_FILES '$scripts'"
  for i in $(seq "$chain"); do
    echo "  task t$i"
    [ "$i" -gt 1 ] && echo "    trigger t$((i - 1)) == complete"
    ln -sf job.ecf "$scripts/t$i.ecf"
  done
  echo "endsuite"
} > "$work/chain.def"
{
  echo "suite fan"
  echo "  edit ECF_FILES '$scripts'"
  echo "  limit slots $limit"
  echo "  family f"
  echo "    inlimit slots"
  for i in $(seq "$fan"); do
    echo "    task t$i"
    ln -sf job.ecf "$scripts/t$i.ecf"
  done
  echo "  endfamily"
  echo "endsuite"
} > "$work/fan.def"
# Child commands: each job command only writes the job's credentials, for the measuring client to play the job.
cp bench/Takler.Server.Benchmarks/ecflow/suite.def "$work/children.def"
meter_worker=$repo/bench/Takler.Server.Benchmarks/ecflow/meter_worker.py

# ---- workload 1, 2, 6: the big tree: load, RSS, begin, download, mixed states, restart ----
big_tree() { # SYSTEM
  local system=$1 home port t0 t1 answer
  home=$(mktemp -d "$work/$system-big.XXXX"); port=$(free_port)
  start_server "$system" "$home" "$port"
  # Until a query sees the flow: takler_client gives up on a load after its 10 s attempt deadline (a retry would
  # find the flow loaded), while the server goes on and finishes the load.
  t0=$(now)
  TAKLER_TIMEOUT=0 client "$system" "$port" load "$work/big.def" >/dev/null 2>"$work/load.err" || log "  $system load: $(tail -1 "$work/load.err")"
  until TAKLER_TIMEOUT=0 client "$system" "$port" state /bench/g0/f0/t0 >/dev/null 2>&1; do sleep 0.05; done
  t1=$(now)
  record "$system.load_s" "$(elapsed "$t0" "$t1")"
  record "$system.rss_load_mb" "$(rss_mb "$server_pid")"
  t0=$(now); client "$system" "$port" begin bench >/dev/null; t1=$(now)
  record "$system.begin_s" "$(elapsed "$t0" "$t1")"
  record "$system.rss_begin_mb" "$(rss_mb "$server_pid")"

  local cli_times=() i
  for i in $(seq "$tree_runs"); do
    t0=$(now)
    if client "$system" "$port" get >"$work/get.out" 2>"$work/get.err"; then
      t1=$(now); cli_times+=("$(elapsed "$t0" "$t1")")
    else
      log "  $system tree download failed: $(tail -1 "$work/get.err")"
    fi
  done
  if [ "${#cli_times[@]}" -gt 0 ]; then
    record "$system.get_cli_s" "$(median "${cli_times[*]}")"
    record "$system.get_bytes" "$(stat -c %s "$work/get.out")"
  fi
  if [ "$system" = ecflow ]; then
    record ecflow.get_lib_s "$("$python" - "$port" "$tree_runs" <<'EOF'
import sys, time, ecflow
port, runs = int(sys.argv[1]), int(sys.argv[2])
times = []
for _ in range(runs + 1):
    client = ecflow.Client("localhost", port)
    start = time.perf_counter()
    client.sync_local()  # a new client: the whole definition with its state
    times.append(time.perf_counter() - start)
times = sorted(times[1:])
print(f"{times[len(times) // 2]:.3f}")
EOF
)"
  else
    local line; line=$(bench tree --port "$port" --runs "$tree_runs" || true)
    record takler.tree_lib_s "$(sed -n 's/.*tree_ms=\([0-9.]*\).*/\1/p' <<<"$line" | awk '{ printf "%.3f", $1 / 1000 }')"
    record takler.show_lib_s "$(sed -n 's/.*show_ms=\([0-9.]*\).*/\1/p' <<<"$line" | awk '{ printf "%.3f", $1 / 1000 }')"
  fi

  # Mixed states: a fifth of the groups complete, ten families aborted, the rest queued (the suite stays suspended).
  local groups=$(( (big + 4999) / 5000 )) g
  for g in $(seq 0 $(( groups / 5 > 0 ? groups / 5 - 1 : 0 ))); do client "$system" "$port" force complete "/bench/g$g" >/dev/null; done
  local last=$(( groups - 1 ))
  for i in $(seq 0 $((quick ? 0 : 9))); do client "$system" "$port" force aborted "/bench/g$last/f$i" >/dev/null 2>&1 || true; done
  local probe="/bench/g$last/f0/t0"
  client "$system" "$port" checkpoint >/dev/null
  stop_server "$system"
  t0=$(now)
  if [ "$system" = ecflow ]; then
    (cd "$home" && ECF_HOME="$home" exec ecflow_server --port "$port" >>"$home/server.log" 2>&1) &
  else
    (cd "$home" && PATH="$repo/.tools/bin:$PATH" exec "$repo/$server_bin" --port "$port" --home "$home" --loopback-only >>"$home/server.log" 2>&1) &
  fi
  server_pid=$!
  # Wait for the port to accept (a failed ecflow_client query sleeps 10 s before its retry), then query.
  for _ in $(seq 6000); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      kill -0 "$server_pid" 2>/dev/null || { cat "$home/server.log" >&2; echo "$system server exited on restart" >&2; exit 1; }
      sleep 0.01; continue
    fi
    answer=$(TAKLER_TIMEOUT=0 client "$system" "$port" state "$probe" 2>/dev/null || true)
    grep -qi aborted <<<"$answer" && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$home/server.log" >&2; echo "$system server exited on restart" >&2; exit 1; }
    sleep 0.01
  done
  t1=$(now)
  grep -qi aborted <<<"$answer" || { echo "$system: $probe not aborted after restart: $answer" >&2; exit 1; }
  record "$system.restart_s" "$(elapsed "$t0" "$t1")"
  record "$system.rss_restart_mb" "$(rss_mb "$server_pid")"
  stop_server "$system"
  rm -rf "$home"
}

# ---- workload 3: child commands per second ----
# The library: ecFlow's meter_worker.py (python3 ecflow.Client, shared with Takler.Server.Benchmarks), ours
# TaklerServiceClient; the CLI: one process per command. n jobs at once, each its own task (its own credentials);
# each counts the calls that start and end within its window [start + warm-up, start + warm-up + seconds].
cli_loop() { # SYSTEM PORT CREDENTIALS OUTFILE
  local system=$1 port=$2 name pass tryno count=0 v=0 start from until t
  read -r name pass tryno < "$3"
  export ECF_NAME=$name ECF_PASS=$pass ECF_TRYNO=$tryno ECF_RID=4242 TAKLER_NAME=$name TAKLER_PASS=$pass TAKLER_TRY_NO=$tryno TAKLER_RID=4242
  start=${EPOCHREALTIME/[.,]/}
  from=$((start + warmup_us)); until=$((from + seconds * 1000000))
  while :; do
    t=${EPOCHREALTIME/[.,]/}
    [ "$t" -ge "$until" ] && break
    v=$((v + 1))
    client "$system" "$port" meter m "$v" >/dev/null
    [ "$t" -ge "$from" ] && [ "${EPOCHREALTIME/[.,]/}" -le "$until" ] && count=$((count + 1))
  done
  echo "$count" > "$4"
}

children() { # SYSTEM [KEY EXTRA-SERVER-ARGS...]: KEY names the results (default SYSTEM); library only with KEY
  local system=$1 key=${2:-$1} home port n i pids total line
  shift; [ $# -gt 0 ] && shift
  server_args=("$@")
  home=$(mktemp -d "$work/$system-children.XXXX"); port=$(free_port)
  mkdir -p "$home/bench"
  for i in 0 1 2 3; do echo 'exit 0' > "$home/bench/t$i.ecf"; done
  start_server "$system" "$home" "$port"
  client "$system" "$port" load "$work/children.def" >/dev/null
  client "$system" "$port" begin bench >/dev/null
  for _ in $(seq 400); do [ -f "$home/t3.pass" ] && break; sleep 0.05; done
  [ -f "$home/t3.pass" ] || { echo "$system: the job commands wrote no credentials" >&2; cat "$home/server.log" >&2; exit 1; }
  sleep 0.2
  for n in 1 4; do
    if [ "$system" = ecflow ]; then
      pids=()
      for i in $(seq 0 $((n - 1))); do
        "$python" "$meter_worker" "$port" "$home/t$i.pass" "$warmup" "$seconds" </dev/null >"$work/worker-$i.out" 2>&1 &
        pids+=($!)
      done
      wait "${pids[@]}"
      total=0
      for i in $(seq 0 $((n - 1))); do line=$(tail -1 "$work/worker-$i.out"); total=$((total + ${line%% *})); done
      record "ecflow.children_lib_$n" "$(awk -v c="$total" -v s="$seconds" 'BEGIN { printf "%.0f", c / s }')"
    else
      record "$key.children_lib_$n" "$(bench children --port "$port" --creds "$home" --clients "$n" --warmup "$warmup" --seconds "$seconds" | sed -n 's/per_second=//p')"
    fi
    [ "$key" = "$system" ] || continue
    pids=()
    for i in $(seq 0 $((n - 1))); do
      cli_loop "$system" "$port" "$home/t$i.pass" "$work/cli-$i.count" &
      pids+=($!)
    done
    wait "${pids[@]}"
    total=0
    for i in $(seq 0 $((n - 1))); do total=$((total + $(cat "$work/cli-$i.count"))); done
    record "$system.children_cli_$n" "$(awk -v c="$total" -v s="$seconds" 'BEGIN { printf "%.0f", c / s }')"
  done
  stop_server "$system"
  rm -rf "$home"
}

# ---- workloads 4 and 5: real jobs calling the CLI ----
# What a run that did not finish left behind, to tell why: the tree's states, the server's log, the jobs' output.
jobs_report() { # SYSTEM HOME PORT SUITE
  local system=$1 home=$2 port=$3 suite=$4 f
  echo "--- $system: the tree"
  if [ "$system" = ecflow ]; then ecflow_client --port "$port" --get_state "/$suite" 2>&1 | head -60 || true
  else TAKLER_TIMEOUT=10 "$cli" show --port "$port" "/$suite" 2>&1 | head -60 || true; fi
  echo "--- $system: the end of server.log"
  tail -40 "$home/server.log" || true
  echo "--- $system: the jobs' output (last lines)"
  while IFS= read -r f; do echo "== $f"; tail -5 "$f" || true; done < <(find "$home" -type f -name '*.[0-9]' | sort | head -60)
}

# Every job appends the time it completed to done.log in its server's home; the wall time runs from just before
# `begin` to the last of those. The server's CPU is sampled every 0.2 s: the peak of those intervals (100% = one core)
# and the total over the run.
jobs_run() { # SYSTEM NAME DEF SUITE JOBS
  local system=$1 name=$2 def=$3 suite=$4 jobs=$5 home port t0 last ticks
  home=$(mktemp -d "$work/$system-$name.XXXX"); port=$(free_port)
  start_server "$system" "$home" "$port"
  client "$system" "$port" load "$def" >/dev/null
  touch "$home/done.log"
  ( while [ -r "/proc/$server_pid/stat" ]; do
      read -r -a f < "/proc/$server_pid/stat" || break
      echo "${EPOCHREALTIME/,/.} $((f[13] + f[14]))"
      sleep 0.2
    done ) > "$work/cpu.samples" 2>/dev/null &
  sampler_pid=$!
  sleep 0.3
  t0=$(now)
  client "$system" "$port" begin "$suite" >/dev/null
  local deadline=$((SECONDS + (quick ? 60 : 1800)))
  while [ "$(wc -l < "$home/done.log")" -lt "$jobs" ]; do
    [ "$SECONDS" -lt "$deadline" ] || {
      echo "$system $name: only $(wc -l < "$home/done.log") of $jobs jobs done" >&2
      jobs_report "$system" "$home" "$port" "$suite" >&2
      exit 1
    }
    sleep 0.05
  done
  sleep 0.3
  kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""
  last=$(sort -g "$home/done.log" | tail -1)
  record "$system.${name}_s" "$(elapsed "$t0" "$last")"
  ticks=$(getconf CLK_TCK)
  record "$system.${name}_cpu_peak" "$(awk -v hz="$ticks" -v t0="$t0" -v t1="$last" '
    NR > 1 && $1 > t0 && prev_t < t1 { p = 100 * ($2 - prev_c) / hz / ($1 - prev_t); if (p > max) max = p }
    { prev_t = $1; prev_c = $2 }
    END { printf "%.0f", max }' "$work/cpu.samples")"
  record "$system.${name}_cpu_s" "$(awk -v hz="$ticks" -v t0="$t0" -v t1="$last" '
    $1 <= t0 { c0 = $2 } $1 >= t1 && !done { c1 = $2; done = 1 } END { printf "%.2f", (c1 - c0) / hz }' "$work/cpu.samples")"
  stop_server "$system"
  rm -rf "$home"
}

# ---- run everything, one system at a time (they never compete for the cores) ----
systems=(takler)
[ "$ecflow" = 1 ] && [ "${#ecflow_logs[@]}" = 0 ] && systems=(ecflow takler)
for f in "${ecflow_logs[@]}"; do
  while read -r key val; do results["$key"]="${results[$key]:-} $val"; done < <(sed -n 's/^\[[0-9:]*\]   \(\(ecflow\|takler\|takler_full\)\.[a-z_0-9]*\) = \([0-9.]*\)$/\1 \3/p' "$f")
done
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
for run in $(seq "$runs"); do
  for system in "${systems[@]}"; do
    log "run $run/$runs, $system: big tree ($big tasks): load, begin, download, restart"
    big_tree "$system"
    log "run $run/$runs, $system: child commands"
    children "$system"
    if [ "$system" = takler ]; then
      log "run $run/$runs, takler --sync full: child commands (library)"
      children takler takler_full --sync full
    fi
    [ "$run" -le "$job_runs" ] || continue
    log "run $run/$runs, $system: chain of $chain jobs"
    jobs_run "$system" chain "$work/chain.def" chain "$chain"
    log "run $run/$runs, $system: fan-out of $fan jobs, limit $limit"
    jobs_run "$system" fan "$work/fan.def" fan "$fan"
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the report ----
value() { median "${results[$1]:-}"; }
ratio() { # ECFLOW TAKLER
  if [ -n "$1" ] && [ -n "$2" ] && awk -v e="$1" 'BEGIN { exit !(e > 0) }'; then
    awk -v e="$1" -v t="$2" 'BEGIN { printf "%.2f", t / e }'
  else
    echo "–"
  fi
}
row() { # WORKLOAD MEASURE ECFLOW_KEY TAKLER_KEY(takler.KEY, or a full key) UNIT BETTER(lower|higher)
  local e t
  e=$(value "ecflow.$3")
  case "$4" in *.*) t=$(value "$4") ;; *) t=$(value "takler.$4") ;; esac
  echo "| $1 | $2 | ${e:-–} | ${t:-–} | $(ratio "$e" "$t") | $5, $6 is better |"
}
cores=$(nproc); mem=$(free -g | awk '/Mem:/ { print $2 }')
cpu_model=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
ecflow_version="not measured"
[ "$ecflow" = 1 ] && ecflow_version=$(ecflow_client --version | sed -n 's/Ecflow version(\([^)]*\)).*/\1/p')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
mode=""; [ "$quick" = 1 ] && mode=" --quick"
[ "$job_runs" != "$runs" ] && mode="$mode --job-runs $job_runs"
section=$work/section.md
{
  if [ "$quick" = 1 ]; then
    echo "## Issue 9 — end to end, side by side with ecFlow (QUICK smoke run: tiny sizes, not a measurement)"
  else
    echo "## Issue 9 — end to end, side by side with ecFlow"
  fi
  echo
  if [ "$runs" = 0 ]; then
    echo "A report (\`bench/run.sh --runs 0 --ecflow-from LOG ...\`) from the logs of earlier runs of this script, $started,"
    echo "commit $commit: medians over the runs in the logs (see \"Every run's values\"). The systems took turns"
  else
    echo "\`bench/run.sh$mode --runs $runs\` on $started, commit $commit. Medians of $runs run(s) (workloads 4 and 5: $job_runs). The systems take turns"
  fi
  echo "(ecFlow's part, then ours, in every run), never running at once. Ratio = Takler ÷ ecFlow."
  echo
  echo "- Machine: $cores cores ($cpu_model), $mem GB RAM; load average $load_before at the start, $load_after at the end"
  echo "  (the machine is shared with other builders: absolute numbers are noisy)."
  if [ -n "$ecflow_why" ]; then
    echo "- **ecFlow not measured: $ecflow_why.**"
  else
    echo "- ecFlow $ecflow_version (Debian packages ecflow-server, ecflow-client, python3-ecflow), default settings."
    [ "${#ecflow_logs[@]}" -gt 0 ] && echo "- **ecFlow's figures come from ${#ecflow_logs[@]} earlier run(s) of this script (\`--ecflow-from\`), not from this one.**"
  fi
  echo "- Takler for .NET: takler_server (Release, published ReadyToRun by scripts/install-server.sh, .NET SDK $(dotnet --version)) with its defaults (SQLite storage on, sync normal: no fsync per commit, survives kill -9);"
  echo "  takler_client Native AOT (scripts/install-cli.sh); \`TaklerServiceClient\` in bench/Takler.EndToEnd.Benchmarks."
  echo "- Sizes: tree of $big tasks (bench/Takler.Defs.Benchmarks' generator, suite \`defstatus suspended\`), chain of $chain,"
  echo "  fan-out of $fan under a limit of $limit; child commands counted for ${seconds} s after ${warmup} s of warm-up."
  echo
  echo "| workload | measure | ecFlow | Takler | ratio | unit |"
  echo "|---|---|---:|---:|---:|---|"
  row "1. load $big tasks" "\`ecflow_client --load\` / \`takler_client load\`" load_s load_s s lower
  row "1. load $big tasks" "server RSS after load" rss_load_mb rss_load_mb MB lower
  row "1. load $big tasks" "\`ecflow_client --begin\` / \`takler_client begin\`" begin_s begin_s s lower
  row "1. load $big tasks" "server RSS after begin" rss_begin_mb rss_begin_mb MB lower
  row "2. full tree download" "CLI process: \`ecflow_client --get\` / \`takler_client show --json\`" get_cli_s get_cli_s s lower
  row "2. full tree download" "CLI output size" get_bytes get_bytes bytes smaller
  row "2. full tree download" "library: \`Client.sync_local()\` / \`TreeAsync()\` (structured tree)" get_lib_s tree_lib_s s lower
  row "2. full tree download" "library: \`Client.sync_local()\` / \`ShowAsync()\` (Takler JSON)" get_lib_s show_lib_s s lower
  for n in 1 4; do
    row "3. child commands" "library, $n client(s): python3 \`ecflow.Client\` / \`TaklerServiceClient\`" "children_lib_$n" "children_lib_$n" "calls/s" higher
    row "3. child commands" "library, $n client(s), ours with \`--sync full\` (an fsync per commit)" "children_lib_$n" "takler_full.children_lib_$n" "calls/s" higher
    row "3. child commands" "CLI, a process per command, $n at once: \`--meter\` / \`takler_client meter\`" "children_cli_$n" "children_cli_$n" "calls/s" higher
  done
  row "4. chain of $chain jobs" "wall time, begin -> last complete" chain_s chain_s s lower
  row "4. chain of $chain jobs" "server CPU over the run" chain_cpu_s chain_cpu_s "CPU s" lower
  row "5. fan-out of $fan jobs, limit $limit" "wall time, begin -> last complete" fan_s fan_s s lower
  row "5. fan-out of $fan jobs, limit $limit" "peak server CPU (0.2 s samples; 100 = one core)" fan_cpu_peak fan_cpu_peak "%" lower
  row "5. fan-out of $fan jobs, limit $limit" "server CPU over the run" fan_cpu_s fan_cpu_s "CPU s" lower
  row "6. restart, $big tasks in mixed states" "process start -> a query answers with the restored state" restart_s restart_s s lower
  row "6. restart, $big tasks in mixed states" "server RSS after the restore" rss_restart_mb rss_restart_mb MB lower
  echo
  echo "Every run's values:"
  echo
  echo '```'
  for key in $(printf '%s\n' "${!results[@]}" | sort); do echo "$key:${results[$key]}"; done
  echo '```'
  echo
  echo "How (bench/run.sh; the same generated .def files and .ecf script for both servers):"
  echo
  echo "1. \`ecflow_server --port P\` (ECF_HOME a fresh temp dir; then \`--restart\`) / \`takler_server --port P --home DIR"
  echo "   --loopback-only\`; load the definition with each CLI, RSS from /proc/PID/status; begin (the suite is suspended: no job)."
  echo "2. $tree_runs downloads each, median; the CLI's output to a file. Library: a new python \`ecflow.Client\` per"
  echo "   \`sync_local()\`; ours one warm \`TaklerServiceClient\`."
  echo "3. The suite of bench/Takler.Server.Benchmarks/ecflow/suite.def (its ECF_JOB_CMD only writes each job's ECF_NAME,"
  echo "   ECF_PASS and ECF_TRYNO); each client plays one job with those credentials: \`init\`, then \`meter\` as fast as"
  echo "   answered. ecFlow: bench/Takler.Server.Benchmarks/ecflow/meter_worker.py; ours: \`Takler.EndToEnd.Benchmarks children\`."
  echo "4., 5. One \`job.ecf\` for every task: \`%include <head.h>\`, \`%include <tail.h>\`, then append the time to"
  echo "   \`%ECF_HOME%/done.log\`; ECF_FILES points at it. head.h/tail.h are each system's own (\`ecflow_client --init/--complete\`"
  echo "   with the ECF_ variables exported; \`takler_client init/complete\`). Both servers' default job commands."
  echo "6. Force the first fifth of the groups complete and ten families (--quick: one) of the last group aborted; checkpoint (\`--check_pt\` /"
  echo "   \`takler_client checkpoint\`); stop (\`--terminate=yes\` / SIGTERM); start the server again on the same home and port"
  echo "   and poll (every 10 ms, one CLI process per query) \`--query state\` / \`takler_client status\` of an aborted task"
  echo "   until it answers \`aborted\`."
} > "$section"

if [ -n "$out" ]; then
  cp "$section" "$out"
  log "wrote $out"
elif [ "$quick" = 1 ]; then
  cat "$section"
else
  # Replace this issue's section of bench/RESULTS.md (from its heading to the next "## "), keep the others.
  "$python" - bench/RESULTS.md "$section" <<'PYEOF'
import re, sys
path, section = sys.argv[1], open(sys.argv[2]).read().rstrip("\n") + "\n"
text = open(path).read()
match = re.search(r"^## Issue 9 — .*?(?=^## |\Z)", text, flags=re.S | re.M)
if match:
    rest = text[match.end():]
    text = text[:match.start()] + section + ("\n" + rest if rest else "")
else:
    text = text.rstrip("\n") + "\n\n" + section
open(path, "w").write(text)
PYEOF
  log "wrote the Issue 9 section of bench/RESULTS.md"
fi

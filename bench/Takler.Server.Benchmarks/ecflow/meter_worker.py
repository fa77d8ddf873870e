# One ecFlow job sending child commands as fast as the server answers: `init`, then `meter` updates.
# Run by EcflowBench: python3 meter_worker.py PORT PASSFILE WARMUP_S SECONDS. Prints "ready", waits for a line on
# stdin (so every worker starts together), then prints "CALLS SECONDS P50_US P99_US".
import sys
import time

import ecflow

port, pass_file, warmup, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
with open(pass_file) as f:
    name, password, try_no = f.read().split()

client = ecflow.Client("localhost", port)
client.set_child_path(name)
client.set_child_password(password)
client.set_child_pid("4242")
client.set_child_try_no(int(try_no))
client.set_child_timeout(60)
client.child_init()
print("ready", flush=True)
sys.stdin.readline()

value = 0
latencies = []
start = time.perf_counter()
measure_from = start + warmup
stop_at = measure_from + seconds
while True:
    before = time.perf_counter()
    if before >= stop_at:
        break
    value += 1
    client.child_meter("m", value)
    after = time.perf_counter()
    if before >= measure_from and after <= stop_at:
        latencies.append(after - before)

latencies.sort()
p50 = latencies[len(latencies) // 2] * 1e6 if latencies else float("nan")
p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1e6 if latencies else float("nan")
print(len(latencies), seconds, p50, p99, flush=True)

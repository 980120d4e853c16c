"""Kernel start to ready (jupyter_client's start_new_kernel: process start, sockets, a
kernel_info round trip) and a `describe` round trip (execute_request to execute_reply with
its outputs), medians; called by benches/kernel.sh."""
import statistics
import sys
import time

from jupyter_client.manager import start_new_kernel

starts, trips = [], []
for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 5):
    begin = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="radnomo")
    starts.append(time.perf_counter() - begin)
    kc.execute_interactive('load table "examples/data/demo.csv" outcome=aln', timeout=30, output_hook=lambda m: None)
    for _ in range(20):
        begin = time.perf_counter()
        reply = kc.execute_interactive("describe", timeout=30, output_hook=lambda m: None)
        trips.append(time.perf_counter() - begin)
        assert reply["content"]["status"] == "ok"
    km.shutdown_kernel(now=False)
print(f"kernel_ready_ms {statistics.median(starts) * 1e3:.0f}")
print(f"describe_round_trip_ms {statistics.median(trips) * 1e3:.1f}")

#!/usr/bin/env bash
# A gzip scrape while a flood of reloads comes in (bench/README.md, "Reload flood"): one exporter under
# deploy/jvm.options with ACCOUNTS accounts of src/test/java/dev/crcexporter/bench/FakeUpstream.java, its configuration
# from a YAML file. In one run: SCRAPES gzip scrapes of /metrics one after the other on one keep-alive connection
# (as Prometheus scrapes) with nothing else going on, then SCRAPES more while wrk has CLIENTS connections POST
# /-/reload in a loop (nothing changes between the reloads, as in issue 21's flood). Prints the median, 99th
# percentile and slowest scrape of both phases, the reload requests per second wrk got answered, how many of them
# were not 200, and how many reloads ran (the log's "configuration reloaded" lines: coalesced requests share one).
#   bench/reload-flood.sh                                   # ACCOUNTS=1 CLIENTS=48 SCRAPES=500
#   JAR=/tmp/other/crc-exporter.jar bench/reload-flood.sh   # another build, for a before/after
# Needs: the jar (built if missing), wrk (Debian package), curl, python3. Everything listens on 127.0.0.1.
source "$(dirname "$0")/lib.sh"
need wrk curl python3
ACCOUNTS=${ACCOUNTS:-1}
CLIENTS=${CLIENTS:-48}
SCRAPES=${SCRAPES:-500}

start_upstream "$ACCOUNTS"
start_exporter "$work/config-$ACCOUNTS.yml"
url="http://127.0.0.1:$port"
echo 'wrk.method = "POST"' > "$work/post.lua"

scrapes() { # label -> one line of figures
  python3 - "$port" "$SCRAPES" "$1" <<'PY'
import http.client, statistics, sys, time
port, n, label = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
times = []
for _ in range(n):
    started = time.perf_counter()
    connection.request("GET", "/metrics", headers={"Accept-Encoding": "gzip"})
    response = connection.getresponse()
    body = response.read()
    times.append((time.perf_counter() - started) * 1000)
    if response.status != 200 or response.getheader("Content-Encoding") != "gzip":
        sys.exit("bench: scrape answered %d %s" % (response.status, response.getheader("Content-Encoding")))
times.sort()
print("%-36s median %7.2f ms   p99 %7.2f ms   slowest %7.2f ms   (%d scrapes, %d bytes gzip)" % (label,
      statistics.median(times), times[int(0.99 * len(times)) - 1], times[-1], n, len(body)))
PY
}

SCRAPES=200 scrapes "warm-up" > /dev/null
scrapes "gzip scrape, alone"
reloads_before=$(grep -c 'configuration reloaded' "$work/exporter.log" || true)
wrk -t2 -c"$CLIENTS" -d600s -s "$work/post.lua" "$url/-/reload" > "$work/wrk.txt" 2>&1 &
flood=$!
sleep 2 # the flood is on
scrapes "gzip scrape, $CLIENTS clients POST /-/reload"
kill -INT "$flood"; wait "$flood" 2>/dev/null || true
reloads_after=$(grep -c 'configuration reloaded' "$work/exporter.log" || true)
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
failed=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")
echo "reload flood: $requests POST /-/reload answered ($rps/s), ${failed:-0} not 200; $((reloads_after - reloads_before)) reloads ran"

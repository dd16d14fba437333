#!/usr/bin/env bash
# The capacity report against the simulated API (src/test/java/dev/crcexporter/bench/FakeUpstream.java, answering instantly):
#   bench/report.sh                       # 100 accounts, the default 90 days up to yesterday, RUNS=3
#   ACCOUNTS=1000 RUNS=5 bench/report.sh
#   CONCURRENCY=1 bench/report.sh         # accounts one after the other (the config's default is 8)
# Prints, per run, the wall time of `java -jar target/crc-exporter.jar report ...` (JVM start included) and the
# requests the upstream answered, then the median (min-max). Everything listens on 127.0.0.1.
source "$(dirname "$0")/lib.sh"

RUNS=${RUNS:-3}
ACCOUNTS=${ACCOUNTS:-100}
FORMAT=${FORMAT:-csv}
java -cp "$JAR" src/test/java/dev/crcexporter/bench/FakeUpstream.java "$ACCOUNTS" "$work/config.yml" "$work/count" > "$work/upstream.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do [ -s "$work/config.yml" ] && [ -s "$work/count" ] && break; sleep 0.05; done
[ -s "$work/config.yml" ] || { echo "bench: fake upstream did not start" >&2; cat "$work/upstream.log" >&2; exit 1; }
[ -n "${CONCURRENCY:-}" ] && sed -i "s/^concurrency: .*/concurrency: $CONCURRENCY/" "$work/config.yml"

seconds=()
requests=()
for run in $(seq 1 "$RUNS"); do
  before=$(cat "$work/count")
  start=$(date +%s%N)
  java -jar "$JAR" report --config.file="$work/config.yml" --format="$FORMAT" --output="$work/report.$FORMAT" 2> "$work/report.log" \
    || { echo "bench: report failed" >&2; tail -5 "$work/report.log" >&2; exit 1; }
  end=$(date +%s%N)
  sleep 0.3   # the count file is rewritten every 100 ms
  after=$(cat "$work/count")
  seconds+=("$(python3 -c "print('%.2f' % (($end - $start) / 1e9))")")
  requests+=("$((after - before))")
  echo "run $run: $ACCOUNTS accounts, $(tail -1 "$work/report.log" | sed 's/^report: //'), wall ${seconds[-1]} s, upstream saw ${requests[-1]} requests"
done
python3 - "${seconds[@]}" <<'PY'
import statistics, sys
values = [float(v) for v in sys.argv[1:]]
print("report wall time: median %.2f s (%.2f-%.2f) over %d runs" % (statistics.median(values), min(values), max(values), len(values)))
PY

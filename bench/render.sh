#!/usr/bin/env bash
# What Prometheus gets at each scrape of a large fleet: a fresh render (the answer is kept for at most a second, and
# Prometheus scrapes every 15 s or so). The exporter (deploy/jvm.options) with ACCOUNTS accounts of the fake upstream
# (two complete days each, the hourly series on unless HOURLY=false), then RENDERS scrapes of each variant, each
# more than a second after the last, after a warm-up; the median (min-max) of time_total. PROFILE=1 also records the
# renders with JFR and prints where the render thread spends its samples.
#   bench/render.sh                                  # 1,000 accounts, 11 renders per variant
#   ACCOUNTS=10000 HOURLY=false bench/render.sh
source "$(dirname "$0")/lib.sh"
need curl python3
ACCOUNTS=${ACCOUNTS:-1000} RENDERS=${RENDERS:-11} HOURLY=${HOURLY:-true}
start_upstream "$ACCOUNTS"
extra=()
[ "${PROFILE:-}" = 1 ] && extra+=("-XX:StartFlightRecording=filename=$work/render.jfr,settings=profile")
config="$work/config-$ACCOUNTS.yml"
port=$(free_port)
java "${jvm_args[@]}" "${extra[@]}" -jar "$JAR" --config.file="$config" --web.listen-address="127.0.0.1:$port" \
  $([ "$HOURLY" = false ] && echo --no-collector.hourly) > "$work/exporter.log" 2>&1 &
exporter_pid=$!
pids+=("$exporter_pid")
wait_http "http://127.0.0.1:$port/-/ready" 300000 "$exporter_pid" || { tail -20 "$work/exporter.log" >&2; exit 1; }
url="http://127.0.0.1:$port/metrics"
variants=("text||identity" "text|gzip|gzip" "openmetrics|application/openmetrics-text;version=1.0.0|gzip")
for _ in $(seq 1 10); do # warm-up: every variant is a render of its own
  for v in "${variants[@]}"; do IFS='|' read -r _ accept encoding <<< "$v"
    curl -sf -o /dev/null -H "Accept: ${accept:-text/plain}" -H "Accept-Encoding: $encoding" "$url"; done
done
for v in "${variants[@]}"; do
  IFS='|' read -r name accept encoding <<< "$v"
  times=()
  for _ in $(seq 1 "$RENDERS"); do
    sleep 1.1
    times+=("$(curl -sf -o "$work/answer" -w '%{time_total}' -H "Accept: ${accept:-text/plain}" -H "Accept-Encoding: $encoding" "$url")")
  done
  python3 -c "import statistics,sys; t=sorted(1000*float(x) for x in sys.argv[3:]); print('%s %s: render %.1f ms (%.1f-%.1f), %d bytes' % (sys.argv[1], sys.argv[2], statistics.median(t), t[0], t[-1], int(open('$work/answer','rb').seek(0,2))))" \
    "$name" "$encoding" "${times[@]}"
done
echo "RSS $(rss_mib "$exporter_pid") MiB"
if [ "${PROFILE:-}" = 1 ]; then
  jcmd "$exporter_pid" JFR.dump filename="$work/render.jfr" > /dev/null
  jfr print --events jdk.ExecutionSample "$work/render.jfr" > "$work/samples.txt"
  python3 - "$work/samples.txt" <<'PY'
import re, sys, collections
text = open(sys.argv[1]).read()
events = text.split("jdk.ExecutionSample")
top, incl, total = collections.Counter(), collections.Counter(), 0
for e in events:
    if '"scrape-render"' not in e:
        continue
    frames = re.findall(r"^\s+([\w$.<>]+)\(", e, re.M)
    if not frames:
        continue
    total += 1
    top[frames[0]] += 1
    for f in set(frames):
        incl[f] += 1
print("render thread samples:", total)
print("-- self (top frame) --")
for f, n in top.most_common(15): print("%5.1f%% %s" % (100 * n / total, f))
print("-- inclusive --")
for f, n in incl.most_common(40): print("%5.1f%% %s" % (100 * n / total, f))
PY
fi

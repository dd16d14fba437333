#!/usr/bin/env bash
# How many accounts fit in a heap: for each HEAP:ACCOUNTS, the exporter with deploy/jvm.options and -Xmx<HEAP> polls
# that many simulated accounts, then takes a scrape workload: text, OpenMetrics and protobuf, each plain and gzip,
# four plain text scrapes at once, the landing page (first and second page), a name[] scrape, and 30 scrapes with
# distinct Accept headers. A case passes when the process is alive at the end and every answer was 200.
#   bench/sizing.sh                          # the cases of the sizing table (docs/deployment.md)
#   bench/sizing.sh 64m:5000 256m:20000      # others
source "$(dirname "$0")/lib.sh"
need curl python3
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(64m:1000 64m:2000 64m:5000 64m:10000 128m:10000 256m:10000 256m:20000)
READY_BOUND_MS=${READY_BOUND_MS:-900000}
formats=("text/plain;version=0.0.4" "application/openmetrics-text;version=1.0.0"
         "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")

printf "| heap | accounts | result | RSS at the end | ready after | text scrape | gzip scrape | text answer |\n"
printf "|---|---|---|---|---|---|---|---|\n"
for case in "${cases[@]}"; do
  heap=${case%%:*}; accounts=${case##*:}
  start_upstream "$accounts"
  start_exporter "$work/config-$accounts.yml" "-Xmx$heap"
  base="http://127.0.0.1:$port"
  failures=()
  get() { # url [curl args...] -> records a failure unless 200; prints seconds
    local url=$1; shift
    local out; out=$(curl -s -o "$work/body" -w '%{http_code} %{time_total}' --max-time 300 "$@" "$url") || out="000 0"
    [ "${out%% *}" = 200 ] || failures+=("${out%% *} $url $*")
    echo "${out##* }"
  }
  text_s=$(get "$base/metrics"); text_bytes=$(wc -c < "$work/body")
  gzip_s=$(get "$base/metrics" -H "Accept-Encoding: gzip")
  for format in "${formats[@]}"; do
    get "$base/metrics" -H "Accept: $format" > /dev/null
    get "$base/metrics" -H "Accept: $format" -H "Accept-Encoding: gzip" > /dev/null
  done
  parallel=()
  for n in 1 2 3 4; do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 300 "$base/metrics" > "$work/parallel.$n" &
    parallel+=($!)
  done
  for job in "${parallel[@]}"; do wait "$job" || true; done
  for _ in 1 2 3 4; do [ "$(cat "$work/parallel.$_")" = 200 ] || failures+=("parallel: $(cat "$work/parallel.$_")"); done
  get "$base/" > /dev/null
  if [ "$accounts" -gt 300 ]; then get "$base/?page=2" > /dev/null; fi
  get "$base/metrics?name%5B%5D=crc_up" > /dev/null
  for i in $(seq 0 29); do
    get "$base/metrics" -H "Accept: ${formats[$((i % 3))]};q=0.$((i % 10)),application/x-attempt-$i" > /dev/null
  done
  result=ok
  kill -0 "$exporter_pid" 2>/dev/null || result="died: $(grep -m1 -o 'OutOfMemoryError.*' "$work/exporter.log" || echo exited)"
  [ ${#failures[@]} -eq 0 ] || result="$result; failed: ${failures[*]:0:3}"
  rss=$(kill -0 "$exporter_pid" 2>/dev/null && echo "$(rss_mib "$exporter_pid") MiB" || echo -)
  printf "| %s | %s | %s | %s | %.0f s | %.2f s | %.2f s | %.1f MB |\n" "$heap" "$accounts" "$result" "$rss" \
    "$(python3 -c "print($ready_ms / 1000)")" "$text_s" "$gzip_s" "$(python3 -c "print($text_bytes / 1e6)")"
  stop "$exporter_pid"; stop "$upstream_pid"
done

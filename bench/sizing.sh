#!/usr/bin/env bash
# How many accounts fit in a heap, with and without the hourly series (the sizing table of docs/deployment.md). For
# each heap, the exporter (deploy/jvm.options, -Xmx<HEAP>) says how many accounts it accepts
# (src/test/java/dev/crcexporter/bench/HeapFit.java asks the same rule as the exporter's start); then each count is
# started: that many accounts must serve the workload, one more must be refused at start (exit 2). The workload: 16
# scrapes at once of text, OpenMetrics and protobuf, each plain and gzip, twice; the landing page (and its second page
# above 300 accounts); name[]=crc_up; debug=text; 30 scrapes with distinct Accept headers. "ok" means the process was
# alive at the end and every answer was 200.
#   bench/sizing.sh                 # 64m, 128m (deploy/jvm.options) and 256m, about 20 minutes
#   bench/sizing.sh 512m            # other heaps
source "$(dirname "$0")/lib.sh"
need curl python3
heaps=("$@")
[ ${#heaps[@]} -gt 0 ] || heaps=(64m 128m 256m)
READY_BOUND_MS=${READY_BOUND_MS:-900000}
formats=("text/plain;version=0.0.4" "application/openmetrics-text;version=1.0.0"
         "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")

run_case() { # heap accounts hourly(yes|no) -> one row of the table
  local heap=$1 accounts=$2 hourly=$3 flags=()
  [ "$hourly" = yes ] || flags=(--no-collector.hourly)
  start_upstream "$accounts"
  port=$(free_port)
  local start; start=$(now_ms)
  java "${jvm_args[@]}" "-Xmx$heap" -jar "$JAR" --config.file="$work/config-$accounts.yml" "${flags[@]}" \
    --web.listen-address="127.0.0.1:$port" > "$work/exporter.log" 2>&1 &
  exporter_pid=$!
  pids+=("$exporter_pid")
  until curl -sf -o /dev/null "http://127.0.0.1:$port/-/ready"; do
    if ! kill -0 "$exporter_pid" 2>/dev/null; then
      local status=0; wait "$exporter_pid" || status=$?
      printf "| %s | %s | %s | refused at start (exit %s) | | | | | |\n" "$heap" "$hourly" "$accounts" "$status"
      stop "$upstream_pid"; return
    fi
    [ $(( $(now_ms) - start )) -lt "$READY_BOUND_MS" ] || { echo "bench: not ready" >&2; tail -5 "$work/exporter.log" >&2; exit 1; }
    sleep 0.1
  done
  ready_ms=$(( $(now_ms) - start ))
  base="http://127.0.0.1:$port"
  failures=()
  get() { # url [curl args...] -> records a failure unless 200; prints seconds
    local url=$1; shift
    local out; out=$(curl -s -o "$work/body" -w '%{http_code} %{time_total}' --max-time 300 "$@" "$url") || out="000 0"
    [ "${out%% *}" = 200 ] || failures+=("${out%% *} $url $*")
    echo "${out##* }"
  }
  text_s=$(get "$base/metrics"); text_bytes=$(wc -c < "$work/body")
  rounds=()
  for round in 1 2; do
    local round_start; round_start=$(now_ms); jobs=()
    for i in $(seq 0 15); do
      encoding=$([ $((i / 3 % 2)) -eq 1 ] && echo gzip || echo identity)
      curl -s -o /dev/null -w '%{http_code}\n' --max-time 300 -H "Accept: ${formats[$((i % 3))]}" \
        -H "Accept-Encoding: $encoding" "$base/metrics" > "$work/concurrent.$i" &
      jobs+=($!)
    done
    for job in "${jobs[@]}"; do wait "$job" || true; done
    for i in $(seq 0 15); do [ "$(cat "$work/concurrent.$i")" = 200 ] || failures+=("concurrent: $(cat "$work/concurrent.$i")"); done
    rounds+=("$(python3 -c "print('%.1f' % (($(now_ms) - $round_start) / 1000))")")
  done
  get "$base/" > /dev/null
  if [ "$accounts" -gt 300 ]; then get "$base/?page=2" > /dev/null; fi
  get "$base/metrics?name%5B%5D=crc_up" > /dev/null
  get "$base/metrics?debug=text" > /dev/null
  for i in $(seq 0 29); do
    get "$base/metrics" -H "Accept: ${formats[$((i % 3))]};q=0.$((i % 10)),application/x-attempt-$i" > /dev/null
  done
  result=ok
  kill -0 "$exporter_pid" 2>/dev/null || result="died: $(grep -m1 -o 'OutOfMemoryError.*' "$work/exporter.log" || echo exited)"
  [ ${#failures[@]} -eq 0 ] || result="$result; failed: ${failures[*]:0:3}"
  rss=$(kill -0 "$exporter_pid" 2>/dev/null && echo "$(rss_mib "$exporter_pid") MiB" || echo -)
  printf "| %s | %s | %s | %s | %s | %.0f s | %.2f s | %s s, %s s | %.1f MB |\n" "$heap" "$hourly" "$accounts" "$result" \
    "$rss" "$(python3 -c "print($ready_ms / 1000)")" "$text_s" "${rounds[0]}" "${rounds[1]}" \
    "$(python3 -c "print($text_bytes / 1e6)")"
  stop "$exporter_pid"; stop "$upstream_pid"
}

printf "| heap | hourly series | accounts | result | RSS at the end | ready after | text scrape | 16 scrapes at once (twice) | text answer |\n"
printf "|---|---|---|---|---|---|---|---|---|\n"
for heap in "${heaps[@]}"; do
  read -r max_mib hourly_fit plain_fit < <(java "${jvm_args[@]}" "-Xmx$heap" -cp "$JAR" src/test/java/dev/crcexporter/bench/HeapFit.java)
  echo "bench: -Xmx$heap (max heap $max_mib MiB) accepts $hourly_fit accounts with the hourly series, $plain_fit without" >&2
  run_case "$heap" "$hourly_fit" yes
  run_case "$heap" $((hourly_fit + 1)) yes
  run_case "$heap" "$plain_fit" no
  run_case "$heap" $((plain_fit + 1)) no
done

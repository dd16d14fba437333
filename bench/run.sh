#!/usr/bin/env bash
# Reproduces every figure of bench/README.md in one run on this machine:
#   bench/run.sh                 # RUNS=3 repetitions, wrk for 10s each
#   RUNS=5 DURATION=20s bench/run.sh
# Needs: the jar (built if missing), wrk, nginx, curl, python3 (for medians). Everything listens on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=32
ACCOUNTS_LARGE=${ACCOUNTS_LARGE:-1000}
JAR=target/crc-exporter.jar
JVM_OPTIONS=deploy/jvm.options
[ -f "$JAR" ] || mvn -B -q -DskipTests package
for tool in wrk nginx curl python3; do command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }; done
jvm_args=()
[ -f "$JVM_OPTIONS" ] && jvm_args=("@$JVM_OPTIONS")

work=$(mktemp -d)
chmod 755 "$work"   # nginx's workers run as an unprivileged user and must read the payload
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
# wrk's "Requests/sec" and the 99th percentile latency in ms
wrk_run() {
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$1" > "$work/wrk.txt"
  python3 - "$work/wrk.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if errors:
    sys.exit("wrk saw %s failed responses" % errors.group(1))
print("%.0f %.2f" % (rps, p99))
PY
}

start_upstream() { # accounts -> sets upstream_pid, config file $work/config-$1.yml, count file
  rm -f "$work/config-$1.yml"
  java -cp "$JAR" bench/FakeUpstream.java "$1" "$work/config-$1.yml" "$work/count-$1" > "$work/upstream-$1.log" 2>&1 &
  upstream_pid=$!
  pids+=("$upstream_pid")
  for _ in $(seq 1 300); do [ -s "$work/config-$1.yml" ] && return; sleep 0.05; done
  echo "bench: fake upstream did not start" >&2; cat "$work/upstream-$1.log" >&2; exit 1
}

start_exporter() { # config -> sets exporter_pid, port, ready_ms
  port=$(free_port)
  local start; start=$(now_ms)
  java "${jvm_args[@]}" -jar "$JAR" --config.file="$1" --web.listen-address="127.0.0.1:$port" > "$work/exporter.log" 2>&1 &
  exporter_pid=$!
  pids+=("$exporter_pid")
  until curl -sf -o /dev/null "http://127.0.0.1:$port/-/ready"; do
    kill -0 "$exporter_pid" 2>/dev/null || { cat "$work/exporter.log" >&2; exit 1; }
    [ $(( $(now_ms) - start )) -lt 120000 ] || { echo "bench: not ready in 120s" >&2; exit 1; }
    sleep 0.01
  done
  ready_ms=$(( $(now_ms) - start ))
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

start_nginx() { # file -> serves it at http://127.0.0.1:$nginx_port/metrics
  nginx_port=$(free_port)
  mkdir -p "$work/nginx/html"
  cp "$1" "$work/nginx/html/metrics"
  cat > "$work/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/nginx/html;
    location = /metrics { default_type "text/plain; version=0.0.4; charset=utf-8"; }
  }
}
CONF
  chmod -R a+rX "$work/nginx"
  nginx -c "$work/nginx.conf" -p "$work/nginx" &
  nginx_pid=$!
  local start; start=$(now_ms)
  until curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/metrics"; do
    [ $(( $(now_ms) - start )) -lt 10000 ] || { echo "bench: nginx does not serve the payload" >&2; cat "$work/nginx-error.log" >&2; exit 1; }
    sleep 0.02
  done
}

results="$work/results.tsv"
echo -e "figure\tvalue" > "$results"
record() { echo -e "$1\t$2" >> "$results"; }

for run in $(seq 1 "$RUNS"); do
  echo "bench: run $run of $RUNS" >&2
  # --- one account: start-up, throughput vs nginx on the same bytes, latency, memory
  start_upstream 1
  start_exporter "$work/config-1.yml"
  record "start_to_ready_ms_1_account" "$ready_ms"
  curl -sf "http://127.0.0.1:$port/metrics" > "$work/payload.txt"
  read -r rps p99 < <(wrk_run "http://127.0.0.1:$port/metrics")
  record "exporter_rps" "$rps"
  record "exporter_p99_ms" "$p99"
  record "rss_after_load_mib_1_account" "$(rss_mib "$exporter_pid")"
  stop "$exporter_pid"; stop "$upstream_pid"
  start_nginx "$work/payload.txt"
  read -r nginx_rps nginx_p99 < <(wrk_run "http://127.0.0.1:$nginx_port/metrics")
  record "nginx_rps" "$nginx_rps"
  record "nginx_p99_ms" "$nginx_p99"
  record "throughput_ratio_exporter_vs_nginx" "$(python3 -c "print('%.3f' % ($rps / $nginx_rps))")"
  record "payload_bytes_1_account" "$(wc -c < "$work/payload.txt")"
  stop "$nginx_pid"; rm -f "$work/nginx.pid"

  # --- many accounts: all polled, render time and size, memory, upstream calls
  start_upstream "$ACCOUNTS_LARGE"
  start_exporter "$work/config-$ACCOUNTS_LARGE.yml"
  record "all_polled_ready_ms_${ACCOUNTS_LARGE}_accounts" "$ready_ms"
  for _ in $(seq 1 5); do curl -sf -o /dev/null "http://127.0.0.1:$port/metrics"; done  # warm-up
  times=()
  for _ in $(seq 1 11); do
    times+=("$(curl -sf -o "$work/large.txt" -w '%{time_total}' "http://127.0.0.1:$port/metrics")")
  done
  record "render_ms_median_${ACCOUNTS_LARGE}_accounts" "$(python3 -c "import statistics,sys; print('%.1f' % (1000*statistics.median(map(float, sys.argv[1:]))))" "${times[@]}")"
  record "payload_bytes_${ACCOUNTS_LARGE}_accounts" "$(wc -c < "$work/large.txt")"
  record "samples_${ACCOUNTS_LARGE}_accounts" "$(grep -vc '^#' "$work/large.txt")"
  record "rss_mib_${ACCOUNTS_LARGE}_accounts" "$(rss_mib "$exporter_pid")"
  sleep 1
  record "upstream_calls_${ACCOUNTS_LARGE}_accounts_after_16_scrapes" "$(cat "$work/count-$ACCOUNTS_LARGE")"
  stop "$exporter_pid"; stop "$upstream_pid"
done

python3 - "$results" "$RUNS" <<'PY'
import collections, statistics, sys, platform, os, datetime
rows = collections.OrderedDict()
for line in open(sys.argv[1]).read().splitlines()[1:]:
    name, value = line.split("\t")
    rows.setdefault(name, []).append(float(value))
print("Date: %s, machine: %s, %d cores, runs: %s" % (datetime.date.today(), platform.platform(), os.cpu_count(), sys.argv[2]))
print()
print("| figure | median | min | max |")
print("|---|---|---|---|")
for name, values in rows.items():
    fmt = (lambda v: "%.3f" % v) if max(values) < 10 else (lambda v: "%.1f" % v) if max(values) < 1000 else (lambda v: "%.0f" % v)
    print("| %s | %s | %s | %s |" % (name, fmt(statistics.median(values)), fmt(min(values)), fmt(max(values))))
PY

# Helpers shared by the bench scripts (sourced, not run). Everything listens on 127.0.0.1 and is stopped on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

JAR=${JAR:-target/crc-exporter.jar}
JVM_OPTIONS=deploy/jvm.options
[ -f "$JAR" ] || mvn -B -q -DskipTests package
jvm_args=("@$JVM_OPTIONS")

work=$(mktemp -d)
chmod 755 "$work"   # nginx's workers run as an unprivileged user and must read the payload
cp "$JAR" "$work/crc-exporter.jar"   # a rebuild of target/ during a run must not touch the running JVMs
JAR="$work/crc-exporter.jar"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

need() { for tool in "$@"; do command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }; done; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
wait_http() { # url bound_ms pid-that-must-live
  local start; start=$(now_ms)
  until curl -sf -o /dev/null "$1"; do
    [ -z "${3:-}" ] || kill -0 "$3" 2>/dev/null || { echo "bench: process $3 ended before $1 answered" >&2; return 1; }
    [ $(( $(now_ms) - start )) -lt "$2" ] || { echo "bench: $1 did not answer within $2 ms" >&2; return 1; }
    sleep 0.02
  done
}

# wrk's "Requests/sec" and the 99th percentile latency in ms, after a 2 s warm-up that is not counted
wrk_run() {
  wrk -t2 -c"${CONNECTIONS:-32}" -d2s "$1" > /dev/null
  wrk -t2 -c"${CONNECTIONS:-32}" -d"${DURATION:-10s}" --latency "$1" > "$work/wrk.txt"
  python3 - "$work/wrk.txt" "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if errors:
    sys.exit("bench: wrk saw %s failed responses from %s" % (errors.group(1), sys.argv[2]))
print("%.0f %.2f" % (rps, p99))
PY
}

# A zone where it is 23:xx now: the exporter then shows both days complete, the largest answer of the day,
# whatever the time the bench runs (Etc/GMT-5 is UTC+5).
late_zone() {
  local offset=$(( (23 - 10#$(date -u +%H) + 24) % 24 ))
  [ "$offset" -le 14 ] || offset=$(( offset - 24 ))
  if [ "$offset" -ge 0 ]; then echo "Etc/GMT-$offset"; else echo "Etc/GMT+$(( -offset ))"; fi
}

start_upstream() { # accounts -> sets upstream_pid, upstream_url; writes $work/config-N.yml
  rm -f "$work/config-$1.yml"
  TZ=$(late_zone) java -cp "$JAR" src/test/java/dev/crcexporter/bench/FakeUpstream.java "$1" "$work/config-$1.yml" "$work/count-$1" > "$work/upstream-$1.log" 2>&1 &
  upstream_pid=$!
  pids+=("$upstream_pid")
  local start; start=$(now_ms)
  until grep -qs '^accounts:' "$work/config-$1.yml"; do
    [ $(( $(now_ms) - start )) -lt 60000 ] || { echo "bench: fake upstream did not start" >&2; cat "$work/upstream-$1.log" >&2; exit 1; }
    sleep 0.05
  done
  sleep 0.2 # the file is written in one go; let it be complete
  upstream_url=$(awk '/^api_url:/ {print $2}' "$work/config-$1.yml")
}

# start_exporter CONFIG|env [extra JVM args...] -> sets exporter_pid, port, ready_ms
start_exporter() {
  local config=$1; shift
  port=$(free_port)
  local start; start=$(now_ms)
  if [ "$config" = env ]; then # one account from the environment, as containers run it
    CRC_API_KEY=key-0 CRC_API_SECRET=bench-secret CRC_API_URL="$upstream_url" CRC_CAPACITY=40 CRC_ACCOUNT=bench-0 \
      CRC_TIMEZONE=$(awk '/^timezone:/ {print $2}' "$work/config-1.yml") \
      java "${jvm_args[@]}" "$@" -jar "$JAR" --web.listen-address="127.0.0.1:$port" > "$work/exporter.log" 2>&1 &
  else
    java "${jvm_args[@]}" "$@" -jar "$JAR" --config.file="$config" --web.listen-address="127.0.0.1:$port" > "$work/exporter.log" 2>&1 &
  fi
  exporter_pid=$!
  pids+=("$exporter_pid")
  wait_http "http://127.0.0.1:$port/-/ready" "${READY_BOUND_MS:-300000}" "$exporter_pid" || { tail -20 "$work/exporter.log" >&2; exit 1; }
  ready_ms=$(( $(now_ms) - start ))
}

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
  wait_http "http://127.0.0.1:$nginx_port/metrics" 10000 || { cat "$work/nginx-error.log" >&2; exit 1; }
}

# The payload without process_* and go_* families, which the Go servers expose themselves (a clash would be refused).
payload_for_go() { grep -v -E '^(# (HELP|TYPE) )?(process_|go_)' "$1"; }

start_pushgateway() { # file -> pushed to a Pushgateway at http://127.0.0.1:$pushgateway_port/metrics
  pushgateway_port=$(free_port)
  prometheus-pushgateway --web.listen-address="127.0.0.1:$pushgateway_port" --persistence.file="" > "$work/pushgateway.log" 2>&1 &
  pushgateway_pid=$!
  pids+=("$pushgateway_pid")
  wait_http "http://127.0.0.1:$pushgateway_port/-/ready" 10000 "$pushgateway_pid"
  payload_for_go "$1" | curl -sf -X PUT --data-binary @- "http://127.0.0.1:$pushgateway_port/metrics/job/bench" \
    || { echo "bench: the Pushgateway refused the payload" >&2; exit 1; }
}

start_node_exporter() { # file -> node_exporter's textfile collector only, at http://127.0.0.1:$node_port/metrics
  node_port=$(free_port)
  mkdir -p "$work/textfile"
  payload_for_go "$1" > "$work/textfile/payload.prom"
  # --web.max-requests=0: its default of 40 answers 503 to some of the 32 connections of wrk
  prometheus-node-exporter --web.listen-address="127.0.0.1:$node_port" --web.max-requests=0 --collector.disable-defaults --collector.textfile \
    --collector.textfile.directory="$work/textfile" > "$work/node-exporter.log" 2>&1 &
  node_pid=$!
  pids+=("$node_pid")
  wait_http "http://127.0.0.1:$node_port/metrics" 10000 "$node_pid"
  local scraped; scraped=$(curl -sf "http://127.0.0.1:$node_port/metrics") # not piped into grep -q: pipefail
  grep -q '^node_textfile_scrape_error 0' <<< "$scraped" || { echo "bench: node_exporter could not read the payload" >&2; exit 1; }
}

results="$work/results.tsv"
record() { echo -e "$1\t$2" >> "$results"; }
ratio() { python3 -c "print('%.3f' % ($1 / $2))"; }
median_ms() { python3 -c "import statistics,sys; print('%.1f' % (1000*statistics.median(map(float, sys.argv[1:]))))" "$@"; }

# Median (min-max) of every figure recorded, as a markdown table.
report() {
  python3 - "$results" "${RUNS:-1}" <<'PY'
import collections, statistics, sys, platform, os, datetime
rows = collections.OrderedDict()
for line in open(sys.argv[1]).read().splitlines():
    name, value = line.split("\t")
    rows.setdefault(name, []).append(float(value))
print("Date: %s, machine: %s, %d cores, runs: %s" % (datetime.date.today(), platform.platform(), os.cpu_count(), sys.argv[2]))
print()
print("| figure | median (min-max) |")
print("|---|---|")
for name, values in rows.items():
    fmt = (lambda v: "%.3f" % v) if max(values) < 10 else (lambda v: "%.1f" % v) if max(values) < 1000 else (lambda v: "%.0f" % v)
    print("| %s | %s (%s-%s) |" % (name, fmt(statistics.median(values)), fmt(min(values)), fmt(max(values))))
PY
}

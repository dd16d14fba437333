#!/usr/bin/env bash
# The shard simulation of bench/README.md ("Shards"): ACCOUNTS accounts over N replicas started with --shard=I/N,
# against one fake upstream on loopback (src/test/java/dev/crcexporter/bench/ShardUpstream.java, which counts the requests of every account):
#   bench/shards.sh                               # 10,000 accounts, 10 shards then 12, RUNS=3 (about 25 minutes)
#   RUNS=1 ACCOUNTS=600 BEFORE=3 AFTER=4 INTERVAL=60s bench/shards.sh   # a quick look (3 minutes)
# For each layout (BEFORE shards, then all replicas stopped and AFTER shards started with the new flag) it checks
# that every account was polled exactly once by exactly one shard (the upstream's counts, and each shard's
# /metrics against an independent Python implementation of the hash), then measures the time until every replica
# is ready, VmRSS per replica, the time one scrape of each replica takes, and the upstream requests of the next
# poll interval (one per account is the target). It exits non-zero when a check fails.
# Needs: the jar (built if missing), curl, python3. Everything listens on 127.0.0.1 and is stopped at the end.
source "$(dirname "$0")/lib.sh"

RUNS=${RUNS:-3}
ACCOUNTS=${ACCOUNTS:-10000}
BEFORE=${BEFORE:-10}
AFTER=${AFTER:-12}
INTERVAL=${INTERVAL:-180s}  # longer than the start of every replica (up to ~100s here when other work loads the cores)
need curl python3
interval_s=$(python3 -c "import sys; v=sys.argv[1]; print(int(v[:-1]) * {'s': 1, 'm': 60}[v[-1]])" "$INTERVAL")

results="$work/results.tsv"
: > "$results"
record() { echo -e "$1\t$2" >> "$results"; }

java -cp "$JAR" src/test/java/dev/crcexporter/bench/ShardUpstream.java "$ACCOUNTS" "$INTERVAL" "$work/config.yml" "$work/upstream.port" \
  > "$work/upstream.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do [ -s "$work/upstream.port" ] && break; sleep 0.05; done
[ -s "$work/upstream.port" ] || { echo "bench: upstream did not start" >&2; cat "$work/upstream.log" >&2; exit 1; }
upstream="http://127.0.0.1:$(cat "$work/upstream.port")"

# Which replica exposes which account (crc_up), checked against the hash computed here, independently of the Java
# code: first 8 bytes of SHA-256 of the name, jump consistent hash (Lamping and Veach). Prints "account shard" lines.
check_exposure() { # N metrics-files...
  python3 - "$@" <<'PY'
import hashlib, re, sys
n, files = int(sys.argv[1]), sys.argv[2:]
def shard(name):
    key, b, j = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big"), -1, 0
    while j < n:
        b, key = j, (key * 2862933555777941757 + 1) & (2**64 - 1)
        j = int((b + 1) * (float(1 << 31) / float((key >> 33) + 1)))
    return b
seen = {}
for i, path in enumerate(files):
    for account, up in re.findall(r'^crc_up\{account="([^"]+)"\} (\S+)$', open(path).read(), re.M):
        if account in seen:
            sys.exit("bench: %s is exposed by shards %d and %d" % (account, seen[account], i))
        if shard(account) != i:
            sys.exit("bench: %s is on shard %d, the hash says %d" % (account, i, shard(account)))
        if float(up) != 1:
            sys.exit("bench: crc_up of %s on shard %d is %s" % (account, i, up))
        seen[account] = i
for account, i in sorted(seen.items()):
    print(account, i)
PY
}

counts() { curl -sf "$upstream/counts"; }
# "requests TOTAL" and then exactly "R ACCOUNTS": every account asked for exactly R times
expect_every_account_polled() { # R what
  local got; got=$(counts)
  [ "$(sed -n 2,\$p <<< "$got")" = "$1 $ACCOUNTS" ] || { echo "bench: $2: not every account polled exactly $1 time(s):" >&2; echo "$got" >&2; exit 1; }
}

run_layout() { # N run
  local n=$1 run=$2 start i port ready_ms=() ports=() shard_pids=() files=() done_count
  curl -sf -o /dev/null "$upstream/reset"
  start=$(now_ms)
  for i in $(seq 0 $((n - 1))); do
    port=$(free_port)
    java "${jvm_args[@]}" -jar "$JAR" --config.file="$work/config.yml" --shard="$i/$n" \
      --web.listen-address="127.0.0.1:$port" > "$work/shard-$n-$i.log" 2>&1 &
    shard_pids+=($!); pids+=($!); ports+=("$port"); ready_ms+=(0)
  done
  done_count=0
  while [ "$done_count" -lt "$n" ]; do
    for i in $(seq 0 $((n - 1))); do
      [ "${ready_ms[$i]}" -eq 0 ] || continue
      kill -0 "${shard_pids[$i]}" 2>/dev/null || { cat "$work/shard-$n-$i.log" >&2; exit 1; }
      if curl -sf -o /dev/null "http://127.0.0.1:${ports[$i]}/-/ready"; then
        ready_ms[$i]=$(( $(now_ms) - start )); done_count=$((done_count + 1))
      fi
    done
    [ $(( $(now_ms) - start )) -lt 300000 ] || { echo "bench: $n shards not ready in 300s" >&2; exit 1; }
    sleep 0.05
  done
  local all_ready=$(( $(now_ms) - start ))
  [ "$all_ready" -lt $(( interval_s * 800 )) ] || { echo "bench: ready after ${all_ready}ms, too close to INTERVAL=$INTERVAL: raise it" >&2; exit 1; }
  record "all_ready_ms_$n" "$all_ready"
  expect_every_account_polled 1 "$n shards, first poll"

  for i in $(seq 0 $((n - 1))); do
    local url="http://127.0.0.1:${ports[$i]}/metrics" times=()
    curl -sf -o "$work/metrics-$n-$i.txt" "$url"; curl -sf -o /dev/null "$url"   # warm-up
    for _ in 1 2 3 4 5; do times+=("$(curl -sf -o /dev/null -w '%{time_total}' "$url")"); done
    record "scrape_ms_$n" "$(python3 -c "import statistics,sys; print('%.1f' % (1000*statistics.median(map(float, sys.argv[1:]))))" "${times[@]}")"
    record "metrics_bytes_$n" "$(wc -c < "$work/metrics-$n-$i.txt")"
    record "accounts_per_shard_$n" "$(grep -c '^crc_up{' "$work/metrics-$n-$i.txt" || true)"
    record "rss_mib_$n" "$(rss_mib "${shard_pids[$i]}")"
    files+=("$work/metrics-$n-$i.txt")
  done
  check_exposure "$n" "${files[@]}" > "$work/layout-$n-$run.txt"
  [ "$(wc -l < "$work/layout-$n-$run.txt")" -eq "$ACCOUNTS" ] || { echo "bench: $n shards expose $(wc -l < "$work/layout-$n-$run.txt") of $ACCOUNTS accounts" >&2; exit 1; }

  # The next poll interval: every replica polls each of its accounts once more, and nothing else.
  local first; first=$(counts | sed -n 's/^requests //p')
  until [ "$(counts | sed -n 's/^requests //p')" -ge $((2 * ACCOUNTS)) ]; do
    [ $(( $(now_ms) - start )) -lt $(( (interval_s + 300) * 1000 )) ] || { echo "bench: second poll incomplete" >&2; counts >&2; exit 1; }
    sleep 0.5
  done
  sleep 2   # anything beyond one request per account would show now
  expect_every_account_polled 2 "$n shards, second poll"
  record "upstream_requests_per_interval_$n" "$(( $(counts | sed -n 's/^requests //p') - first ))"
  for pid in "${shard_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${shard_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}

for run in $(seq 1 "$RUNS"); do
  echo "bench: run $run of $RUNS: $ACCOUNTS accounts, $BEFORE shards, then $AFTER" >&2
  run_layout "$BEFORE" "$run"
  run_layout "$AFTER" "$run"
  record "accounts_moved_${BEFORE}_to_${AFTER}" "$(LC_ALL=C join "$work/layout-$BEFORE-$run.txt" "$work/layout-$AFTER-$run.txt" | awk '$2 != $3' | wc -l)"
done

python3 - "$results" "$RUNS" "$ACCOUNTS" <<'PY'
import collections, datetime, os, platform, statistics, sys
rows = collections.OrderedDict()
for line in open(sys.argv[1]).read().splitlines():
    name, value = line.split("\t")
    rows.setdefault(name, []).append(float(value))
print("Date: %s, machine: %s, %d cores, load average at the end %.1f, runs: %s, accounts: %s" % (datetime.date.today(),
      platform.platform(), os.cpu_count(), os.getloadavg()[0], sys.argv[2], sys.argv[3]))
print()
print("| figure | median | min | max | values |")
print("|---|---|---|---|---|")
for name, values in rows.items():
    fmt = (lambda v: "%.1f" % v) if max(values) < 1000 else (lambda v: "%.0f" % v)
    print("| %s | %s | %s | %s | %d |" % (name, fmt(statistics.median(values)), fmt(min(values)), fmt(max(values)), len(values)))
PY

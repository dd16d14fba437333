#!/usr/bin/env bash
# What a scrape sees while the exporter reloads (bench/README.md, "Reload"): one exporter under deploy/jvm.options with
# ACCOUNTS accounts of src/test/java/dev/crcexporter/bench/ShardUpstream.java; configuration A holds customer-0..customer-(ACCOUNTS-1), B the same
# less the first CHURN plus CHURN new ones, with every capacity changed. Per run, src/test/java/dev/crcexporter/bench/ReloadScrapes.java scrapes
# /metrics one request after the other for PHASE_SECONDS without reloads, then for PHASE_SECONDS while another thread
# reloads in a loop (A, B, A, ...; PAUSE_MS between two reloads, none by default: the worst case), checking every answer (complete, accounts exactly A's or B's, reload gauge 1). Then:
#  - requests to the upstream of the accounts in both A and B: 1 each (their first poll) is the target, whatever the
#    number of reloads: a reload neither repeats nor skips a poll of an account that stays;
#  - VmRSS before and after the reloads.
#   bench/reload.sh                                        # RUNS=3, 1,000 accounts, CHURN=50, PHASE_SECONDS=20
#   PAUSE_MS=1000 bench/reload.sh                          # one reload a second
#   RUNS=1 ACCOUNTS=100 PHASE_SECONDS=5 bench/reload.sh    # a quick look
# Needs: the jar (built if missing), curl, python3. Everything listens on 127.0.0.1 and is stopped at the end.
source "$(dirname "$0")/lib.sh"

RUNS=${RUNS:-3}
ACCOUNTS=${ACCOUNTS:-1000}
CHURN=${CHURN:-50}
# Not SECONDS: bash counts that one up from 0 by itself, so its default would be a phase of 0 s.
PHASE_SECONDS=${PHASE_SECONDS:-20}
PAUSE_MS=${PAUSE_MS:-0}
need curl python3

# One upstream for all runs: ACCOUNTS + CHURN accounts, polled every hour (no scheduled poll during a run).
java -cp "$JAR" src/test/java/dev/crcexporter/bench/ShardUpstream.java $((ACCOUNTS + CHURN)) 1h "$work/all.yml" "$work/upstream.port" \
  > "$work/upstream.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do [ -s "$work/upstream.port" ] && break; sleep 0.05; done
[ -s "$work/upstream.port" ] || { echo "bench: upstream did not start" >&2; cat "$work/upstream.log" >&2; exit 1; }
upstream="http://127.0.0.1:$(cat "$work/upstream.port")"

python3 - "$work/all.yml" "$ACCOUNTS" "$CHURN" "$work/a.yml" "$work/b.yml" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines(keepends=True)
n, churn = int(sys.argv[2]), int(sys.argv[3])
head = [l for l in lines if not l.startswith("  - ")]
accounts = [l for l in lines if l.startswith("  - ")]
open(sys.argv[4], "w").writelines(head + accounts[:n])
open(sys.argv[5], "w").writelines(head + [l.replace("capacity: 40", "capacity: 48") for l in accounts[churn:n + churn]])
PY

for run in $(seq 1 "$RUNS"); do
  cp "$work/a.yml" "$work/live.yml"
  curl -s "$upstream/reset" >/dev/null
  port=$(free_port)
  java "${jvm_args[@]}" -jar "$JAR" --config.file="$work/live.yml" --web.listen-address="127.0.0.1:$port" \
    --log.level=warn > "$work/exporter-$run.log" 2>&1 &
  exporter=$!
  pids+=("$exporter")
  for _ in $(seq 1 1200); do
    curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null || { echo "bench: exporter not ready" >&2; tail "$work/exporter-$run.log" >&2; exit 1; }
  before=$(rss_mib "$exporter")
  java -cp "$JAR" src/test/java/dev/crcexporter/bench/ReloadScrapes.java "http://127.0.0.1:$port" "$work/live.yml" "$work/a.yml" "$work/b.yml" \
    "$PHASE_SECONDS" "$PAUSE_MS" | sed "s/^/run $run\t/"
  after=$(rss_mib "$exporter")
  kept=$(curl -s "$upstream/counts?from=$CHURN&to=$ACCOUNTS" | tr '\n' ' ')
  echo -e "run $run\tkept accounts' requests (R K = K accounts asked R times): $kept\tVmRSS ${before} -> ${after} MiB"
  kill "$exporter"
  wait "$exporter" 2>/dev/null || true
done

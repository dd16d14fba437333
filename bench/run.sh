#!/usr/bin/env bash
# Reproduces the figures of bench/README.md in one run on this machine:
#   bench/run.sh                        # RUNS=3 repetitions, wrk for 10s per server
#   RUNS=5 DURATION=20s bench/run.sh
# Each run serves one and the same payload from the exporter, nginx, Debian's Pushgateway and node_exporter's
# textfile collector, one after the other, and reports each as a ratio to nginx: the two cores are shared with
# whatever else runs, so only ratios measured in one run compare. Then 1,000 accounts: scrape times, and 100
# scrapes with 100 distinct Accept headers. Needs: the jar (built if missing), wrk, nginx, curl, python3,
# prometheus-pushgateway, prometheus-node-exporter (Debian packages).
source "$(dirname "$0")/lib.sh"
need wrk nginx curl python3 prometheus-pushgateway prometheus-node-exporter
RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
ACCOUNTS_LARGE=${ACCOUNTS_LARGE:-1000}
: > "$results"

for run in $(seq 1 "$RUNS"); do
  echo "bench: run $run of $RUNS" >&2
  # --- one account: start-up, throughput and latency next to the others on the same bytes, memory
  start_upstream 1
  start_exporter env
  record "start_to_ready_ms_1_account" "$ready_ms"
  curl -sf "http://127.0.0.1:$port/metrics" > "$work/payload.txt"
  read -r rps p99 < <(wrk_run "http://127.0.0.1:$port/metrics")
  record "exporter_rps" "$rps"
  record "exporter_p99_ms" "$p99"
  record "rss_after_load_mib_1_account_env" "$(rss_mib "$exporter_pid")"
  stop "$exporter_pid"
  start_exporter "$work/config-1.yml" # the same account from a YAML file: the YAML parser is loaded too
  wrk_run "http://127.0.0.1:$port/metrics" > /dev/null
  record "rss_after_load_mib_1_account_yaml" "$(rss_mib "$exporter_pid")"
  stop "$exporter_pid"; stop "$upstream_pid"
  record "payload_bytes_1_account" "$(wc -c < "$work/payload.txt")"

  start_nginx "$work/payload.txt"
  read -r nginx_rps nginx_p99 < <(wrk_run "http://127.0.0.1:$nginx_port/metrics")
  record "nginx_rps" "$nginx_rps"
  record "nginx_p99_ms" "$nginx_p99"
  stop "$nginx_pid"; rm -f "$work/nginx.pid"

  start_pushgateway "$work/payload.txt"
  read -r pushgateway_rps pushgateway_p99 < <(wrk_run "http://127.0.0.1:$pushgateway_port/metrics")
  record "pushgateway_rps" "$pushgateway_rps"
  record "pushgateway_p99_ms" "$pushgateway_p99"
  stop "$pushgateway_pid"

  start_node_exporter "$work/payload.txt"
  read -r node_rps node_p99 < <(wrk_run "http://127.0.0.1:$node_port/metrics")
  record "node_exporter_textfile_rps" "$node_rps"
  record "node_exporter_textfile_p99_ms" "$node_p99"
  stop "$node_pid"

  record "ratio_exporter_to_nginx" "$(ratio "$rps" "$nginx_rps")"
  record "ratio_pushgateway_to_nginx" "$(ratio "$pushgateway_rps" "$nginx_rps")"
  record "ratio_node_exporter_textfile_to_nginx" "$(ratio "$node_rps" "$nginx_rps")"
  record "ratio_exporter_to_pushgateway" "$(ratio "$rps" "$pushgateway_rps")"

  # --- many accounts: all polled, scrape times with and without gzip, size, distinct Accept headers, memory
  start_upstream "$ACCOUNTS_LARGE"
  start_exporter "$work/config-$ACCOUNTS_LARGE.yml"
  record "all_polled_ready_ms_${ACCOUNTS_LARGE}_accounts" "$ready_ms"
  for encoding in identity gzip; do
    for _ in $(seq 1 5); do curl -sf -o /dev/null -H "Accept-Encoding: $encoding" "http://127.0.0.1:$port/metrics"; done # warm-up
    times=()
    for _ in $(seq 1 11); do
      times+=("$(curl -sf -o "$work/large.$encoding" -w '%{time_total}' -H "Accept-Encoding: $encoding" "http://127.0.0.1:$port/metrics")")
    done
    record "scrape_ms_${encoding}_${ACCOUNTS_LARGE}_accounts" "$(median_ms "${times[@]}")"
  done
  # The medians above are mostly answers kept from the scrape before (kept for a second): a render each time here.
  times=()
  for _ in $(seq 1 5); do
    sleep 1.1
    times+=("$(curl -sf -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port/metrics")")
  done
  record "scrape_ms_rendered_${ACCOUNTS_LARGE}_accounts" "$(median_ms "${times[@]}")"
  record "payload_bytes_${ACCOUNTS_LARGE}_accounts" "$(wc -c < "$work/large.identity")"
  record "payload_bytes_gzip_${ACCOUNTS_LARGE}_accounts" "$(wc -c < "$work/large.gzip")"
  record "samples_${ACCOUNTS_LARGE}_accounts" "$(grep -vc '^#' "$work/large.identity")"
  formats=("text/plain;version=0.0.4" "application/openmetrics-text;version=1.0.0"
           "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")
  failed=0
  for i in $(seq 0 99); do
    encoding=$([ $((i % 4)) -eq 3 ] && echo gzip || echo identity)
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Accept: ${formats[$((i % 3))]};q=0.$((i % 10)),application/x-attempt-$i" \
      -H "Accept-Encoding: $encoding" "http://127.0.0.1:$port/metrics") || status=000
    [ "$status" = 200 ] || failed=$((failed + 1))
  done
  kill -0 "$exporter_pid" 2>/dev/null || { echo "bench: the exporter died during the distinct Accept headers" >&2; exit 1; }
  record "distinct_accept_scrapes_failed_${ACCOUNTS_LARGE}_accounts" "$failed"
  record "rss_mib_after_100_distinct_accept_${ACCOUNTS_LARGE}_accounts" "$(rss_mib "$exporter_pid")"
  sleep 1
  record "upstream_calls_${ACCOUNTS_LARGE}_accounts_after_all_scrapes" "$(cat "$work/count-$ACCOUNTS_LARGE")"
  stop "$exporter_pid"; stop "$upstream_pid"
done

report

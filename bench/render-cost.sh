#!/usr/bin/env bash
# Where the constants of src/main/java/dev/crcexporter/web/ScrapeMemory.java come from:
#  1. the heap one render of a whole answer takes per series, for every format, plain and gzip, with and without the
#     hourly series (src/test/java/dev/crcexporter/bench/RenderCost.java, 1,000 accounts of two complete days);
#  2. the live heap of the exporter (the jar, deploy/jvm.options) after its first polls and before any scrape, with 1
#     and with 2,000 accounts of the fake upstream: the base and the heap per account.
#   bench/render-cost.sh            # about 3 minutes
#   ACCOUNTS=3000 bench/render-cost.sh
source "$(dirname "$0")/lib.sh"
need curl jcmd
ACCOUNTS=${ACCOUNTS:-1000}
mvn -B -q -o test-compile
java -XX:+UseSerialGC -Xmx1g -cp target/test-classes:"$JAR" dev.crcexporter.bench.RenderCost "$ACCOUNTS" 2>/dev/null

live_heap_kib() { # pid -> heap used after full collections, in KiB
  for _ in 1 2; do jcmd "$1" GC.run > /dev/null; done
  jcmd "$1" GC.heap_info | awk '/generation/ { for (i = 1; i <= NF; i++) if ($i == "used") { sub("K,?", "", $(i + 1)); s += $(i + 1) } } END { print s }'
}
for accounts in 1 2000; do
  start_upstream "$accounts"
  start_exporter "$work/config-$accounts.yml" -Xmx512m
  curl -sf -o /dev/null "http://127.0.0.1:$port/" # the landing page, as an operator opens it
  sleep 2
  echo "exporter with $accounts accounts, polled, before any scrape: live heap $(live_heap_kib "$exporter_pid") KiB"
  stop "$exporter_pid"; stop "$upstream_pid"
done

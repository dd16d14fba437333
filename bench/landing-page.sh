#!/usr/bin/env bash
# The landing page against clients that ask for it and never read (bench/README.md, "Landing page"): the exporter
# (deploy/jvm.options) with ACCOUNTS accounts of the fake upstream (all on one page up to 300, with 30 days each),
# the size of its page, then STALLED connections (4 KB receive buffer) that each ask for it and read nothing for
# HOLD seconds, while /metrics is scraped (5 s bound each); then whether the process is alive, and its RSS.
#   bench/landing-page.sh                          # 300 accounts, 40 stalled connections for 25 s
#   ACCOUNTS=1000 STALLED=100 bench/landing-page.sh
source "$(dirname "$0")/lib.sh"
need curl python3
ACCOUNTS=${ACCOUNTS:-300} STALLED=${STALLED:-40} HOLD=${HOLD:-25}
start_upstream "$ACCOUNTS"
start_exporter "$work/config-$ACCOUNTS.yml"
sleep 8 # the months of history load in the background
echo "accounts=$ACCOUNTS page_bytes=$(curl -s "http://127.0.0.1:$port/" | wc -c)"
python3 - "$port" "$STALLED" "$HOLD" <<'PY' &
import socket, sys, time
port, count, hold = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
stalled = []
for _ in range(count):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    stalled.append(s)
time.sleep(hold)
PY
stalling=$!
sleep 4
echo "page while they stall: $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")"
for i in 1 2 3 4 5 6; do
  kill -0 "$exporter_pid" 2>/dev/null || break
  curl -s -o /dev/null -m 5 -w "scrape while they stall: %{http_code} %{time_total}s\n" "http://127.0.0.1:$port/metrics" \
    || echo "scrape while they stall: no answer within 5 s"
done
wait "$stalling"
sleep 1
if kill -0 "$exporter_pid" 2>/dev/null; then echo "alive, RSS $(rss_mib "$exporter_pid") MiB"
else echo "DEAD: $(grep -m1 -o 'Terminating due to .*' "$work/exporter.log" || tail -1 "$work/exporter.log")"; fi

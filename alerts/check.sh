#!/usr/bin/env bash
# Validates the monitoring assets: alert rules and their unit tests, the example Prometheus (plain and compose) and
# Alertmanager configurations and the Grafana dashboard JSON.
# Needs promtool, amtool (Debian: apt-get install prometheus prometheus-alertmanager) and python3.
# Usage (from anywhere):  alerts/check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

run() {
  echo "+ $*"
  "$@"
}

run promtool check rules alerts/*.rules.yml
run promtool test rules alerts/tests/*.yml
run promtool check config deploy/prometheus.yml
run promtool check config deploy/compose/prometheus.yml
run deploy/kubernetes/generate-prometheusrule.sh --check
run amtool check-config deploy/alertmanager.yml
run python3 -m json.tool grafana/crc-exporter.json >/dev/null
# Dashboard conventions: no hard-coded datasource, every panel titled and described.
run python3 - grafana/crc-exporter.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
errors = []
if d.get("uid") != "crc-exporter":
    errors.append("dashboard uid must be crc-exporter")
for p in d["panels"]:
    name = p.get("title") or "panel %s" % p.get("id")
    if not p.get("title") or not p.get("description"):
        errors.append("%s: needs title and description" % name)
    for ds in [p.get("datasource")] + [t.get("datasource") for t in p.get("targets", [])]:
        if ds != {"type": "prometheus", "uid": "${datasource}"}:
            errors.append("%s: datasource must be ${datasource}, got %r" % (name, ds))
for e in errors:
    print("grafana/crc-exporter.json: " + e)
sys.exit(1 if errors else 0)
PY
echo "all monitoring checks passed"

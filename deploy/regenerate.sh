#!/usr/bin/env bash
# Regenerates every generated copy of a deployable file from its one hand-written source (bash, awk and diff only).
# A generated copy starts with "GENERATED from SOURCE by deploy/regenerate.sh": edit the source, run this script,
# commit both. GeneratedFilesTest (src/test/java/dev/crcexporter/deploy/) fails while a copy is stale.
#
#   generated copy                                      hand-written source
#   deploy/compose/prometheus.yml                       deploy/prometheus.yml (compose service names as targets)
#   deploy/compose/grafana/datasources/prometheus.yml   deploy/grafana/provisioning/datasources/prometheus.yml
#   deploy/kubernetes/base/prometheusrule.yaml          alerts/crc-exporter.rules.yml (deploy/kubernetes/generate-prometheusrule.sh)
#
# Mounted as they are, never copied: alerts/, grafana/crc-exporter.json, deploy/grafana/provisioning/dashboards/,
# deploy/alertmanager.yml, deploy/jvm.options.
#
#   deploy/regenerate.sh           rewrite every generated copy
#   deploy/regenerate.sh --check   exit 1 naming each stale copy, with its diff
#   deploy/regenerate.sh --list    the copies and their sources, one "COPY SOURCE" pair a line
set -euo pipefail
cd "$(dirname "$0")/.."

COPIES=(
  "deploy/compose/prometheus.yml deploy/prometheus.yml"
  "deploy/compose/grafana/datasources/prometheus.yml deploy/grafana/provisioning/datasources/prometheus.yml"
  "deploy/kubernetes/base/prometheusrule.yaml alerts/crc-exporter.rules.yml"
)

# stdin with every "$1" replaced by "$2"; fails when "$1" is missing, so a changed source cannot yield a wrong copy.
swap() {
  local text
  text=$(cat)
  if [[ $text != *"$1"* ]]; then
    echo "deploy/regenerate.sh: \"$1\" not found in the source; adapt the script to it" >&2
    return 1
  fi
  printf '%s\n' "${text//"$1"/"$2"}"
}

# The source without its leading comment lines (the copy gets its own).
body() {
  awk 'started || !/^#/ { started = 1; print }' "$1"
}

compose_prometheus() {
  cat <<'HEADER'
# GENERATED from deploy/prometheus.yml by deploy/regenerate.sh: do not edit, change that file and run the script.
# The docker compose stack's Prometheus (deploy/docker-compose.yml mounts it at /etc/prometheus/prometheus.yml):
# the compose service names as targets, and the rules one folder further up: alerts/ of the repository on the
# host, /alerts in the container (where compose mounts it), so promtool checks the rules Prometheus loads.
# Check it from the repository root:  promtool check config deploy/compose/prometheus.yml
HEADER
  body deploy/prometheus.yml \
    | swap "- ../alerts/crc-exporter.rules.yml" "- ../../alerts/crc-exporter.rules.yml" \
    | swap "['localhost:9093']" "['alertmanager:9093']" \
    | swap "['localhost:9877']" "['exporter:9877']"
}

compose_datasource() {
  cat <<'HEADER'
# GENERATED from deploy/grafana/provisioning/datasources/prometheus.yml by deploy/regenerate.sh: do not edit,
# change that file and run the script. The docker compose stack's datasource: the Prometheus service by its name.
HEADER
  body deploy/grafana/provisioning/datasources/prometheus.yml \
    | swap "url: http://localhost:9090" "url: http://prometheus:9090"
}

# The text a copy must hold.
generate() {
  case "$1" in
    deploy/compose/prometheus.yml) compose_prometheus ;;
    deploy/compose/grafana/datasources/prometheus.yml) compose_datasource ;;
    *) echo "deploy/regenerate.sh: no generator for $1" >&2; return 1 ;;
  esac
}

case "${1:-}" in
  --list)
    printf '%s\n' "${COPIES[@]}"
    ;;
  --check)
    stale=0
    for pair in "${COPIES[@]}"; do
      copy=${pair%% *}
      if [ "$copy" = deploy/kubernetes/base/prometheusrule.yaml ]; then
        deploy/kubernetes/generate-prometheusrule.sh --check >/dev/null 2>&1 && continue
        deploy/kubernetes/generate-prometheusrule.sh --check 2>/dev/null || true
      else
        expected=$(generate "$copy")
        diff -u "$copy" <(printf '%s\n' "$expected") && continue
      fi
      echo "$copy is out of date: run deploy/regenerate.sh" >&2
      stale=1
    done
    [ "$stale" = 0 ] && echo "every generated copy is up to date"
    exit "$stale"
    ;;
  "")
    for pair in "${COPIES[@]}"; do
      copy=${pair%% *}
      if [ "$copy" = deploy/kubernetes/base/prometheusrule.yaml ]; then
        deploy/kubernetes/generate-prometheusrule.sh >/dev/null
      else
        expected=$(generate "$copy")
        printf '%s\n' "$expected" > "$copy"
      fi
      echo "wrote $copy"
    done
    ;;
  *)
    echo "usage: deploy/regenerate.sh [--check|--list]" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Generates deploy/kubernetes/base/prometheusrule.yaml from alerts/crc-exporter.rules.yml, the single source of the
# recording and alerting rules: the rules file's "groups:" block, copied as text (comments and folded
# descriptions included) and indented under the PrometheusRule's spec.
# deploy/regenerate.sh runs it with the other generators; GeneratedFilesTest and KubernetesFilesTest fail while the
# two differ.
#   deploy/kubernetes/generate-prometheusrule.sh           rewrite prometheusrule.yaml
#   deploy/kubernetes/generate-prometheusrule.sh --check   exit 1 and show the diff if it is out of date
set -euo pipefail
cd "$(dirname "$0")/../.."
rules=alerts/crc-exporter.rules.yml
target=deploy/kubernetes/base/prometheusrule.yaml

generate() {
  cat <<'HEADER'
# GENERATED from alerts/crc-exporter.rules.yml by deploy/kubernetes/generate-prometheusrule.sh: do not edit,
# change the rules file and run the script. Thresholds and their explanation are at the top of the rules file.
# prometheus-operator loads PrometheusRules selected by the Prometheus resource's ruleSelector
# (kube-prometheus-stack: release: <helm release name> by default): add that label below if needed.
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: crc-exporter
  labels:
    app.kubernetes.io/name: crc-exporter
spec:
HEADER
  # Everything from the top-level "groups:" line on, indented by two spaces.
  awk 'found || /^groups:/ { found = 1; print (length($0) ? "  " $0 : "") }' "$rules"
}

if ! grep -q '^groups:' "$rules"; then
  echo "$rules: no top-level groups: line" >&2
  exit 1
fi
if [ "${1:-}" = "--check" ]; then
  if diff -u "$target" <(generate); then
    echo "$target is up to date"
  else
    echo "$target is out of date: run deploy/kubernetes/generate-prometheusrule.sh" >&2
    exit 1
  fi
else
  generate > "$target"
  echo "wrote $target"
fi

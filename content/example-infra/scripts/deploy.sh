#!/usr/bin/env bash
# Deploy a release of the web tier with a blue/green switch.
#
# Usage: scripts/deploy.sh <environment> <image-tag>
#
# Deployment Process: Blue/Green Rollout
# Implements: deploy to the idle color, smoke test, switch traffic
# Environment: production, staging
# Reference: docs/processes/blue-green-rollout.md, docs/processes/blue-green-rollout.md#switch-traffic
# Task: TASK-001
set -euo pipefail

ENVIRONMENT="${1:?usage: deploy.sh <environment> <image-tag>}"
IMAGE_TAG="${2:?usage: deploy.sh <environment> <image-tag>}"
CHART_DIR="$(dirname "$0")/../deploy/charts/web"
TF_DIR="$(dirname "$0")/../infra"
NAMESPACE="shop"

log() {
  printf '[deploy %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2
}

active_color() {
  terraform -chdir="$TF_DIR" output -raw active_color
}

idle_color() {
  if [[ "$(active_color)" == "blue" ]]; then echo green; else echo blue; fi
}

deploy_idle() {
  local color="$1"
  log "deploying ${IMAGE_TAG} to idle color ${color}"
  helm upgrade --install "web-${color}" "$CHART_DIR" \
    --namespace "$NAMESPACE" \
    --values "$CHART_DIR/values-${ENVIRONMENT}.yaml" \
    --set color="$color" \
    --set image.tag="$IMAGE_TAG" \
    --wait --timeout 10m
}

smoke_test() {
  local color="$1"
  log "smoke testing ${color}"
  "$(dirname "$0")/smoke-test.sh" "web-${color}.${NAMESPACE}.svc.cluster.local"
}

switch_traffic() {
  local color="$1"
  log "switching production traffic to ${color}"
  terraform -chdir="$TF_DIR" apply -auto-approve \
    -var-file="environments/${ENVIRONMENT}.tfvars" \
    -var "active_color=${color}"
}

main() {
  local target
  target="$(idle_color)"
  deploy_idle "$target"
  smoke_test "$target"
  switch_traffic "$target"
  log "done: ${target} is live with ${IMAGE_TAG}"
}

main "$@"

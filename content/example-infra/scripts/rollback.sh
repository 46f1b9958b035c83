#!/usr/bin/env bash
# Roll production back to the previous color.
#
# Deployment Process: Blue/Green Rollout
# Implements: rollback by switching traffic back to the previous color
# Environment: production
# Refs: docs/processes/blue-green-rollout.md#rollback
set -euo pipefail

ENVIRONMENT="${1:-production}"
TF_DIR="$(dirname "$0")/../infra"

current="$(terraform -chdir="$TF_DIR" output -raw active_color)"
if [[ "$current" == "blue" ]]; then previous=green; else previous=blue; fi

echo "rolling back: ${current} -> ${previous}" >&2

# The previous color still runs the last release, so rollback is only a traffic switch.
terraform -chdir="$TF_DIR" apply -auto-approve \
  -var-file="environments/${ENVIRONMENT}.tfvars" \
  -var "active_color=${previous}"

echo "rollback complete: ${previous} is live" >&2

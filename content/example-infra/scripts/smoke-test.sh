#!/usr/bin/env bash
# Smoke test one color before it receives traffic.
#
# Process: Health Checks
# Implements: post-deploy smoke test against the readiness endpoint
# Reference: docs/processes/health-checks.md#smoke-test
set -euo pipefail

HOST="${1:?usage: smoke-test.sh <host>}"
ATTEMPTS=10

for attempt in $(seq 1 "$ATTEMPTS"); do
  if curl --fail --silent --max-time 3 "http://${HOST}/healthz/ready" >/dev/null; then
    echo "ready after ${attempt} attempt(s)"
    curl --fail --silent --max-time 3 "http://${HOST}/api/products?limit=1" >/dev/null
    exit 0
  fi
  sleep 3
done

echo "not ready after ${ATTEMPTS} attempts" >&2
exit 1

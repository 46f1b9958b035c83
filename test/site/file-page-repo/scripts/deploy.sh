#!/usr/bin/env bash
# Deploy the web tier: build, push, roll out, wait for health.
set -euo pipefail

build_image() {
  local tag="$1"
  docker build -t "registry.example.com/web:${tag}" .
  docker push "registry.example.com/web:${tag}"
  echo "pushed ${tag}"
  # The tag is the commit, so a rollback names it.
  return 0
}

# padding line 14: configuration comes from the environment
# padding line 15: configuration comes from the environment
# padding line 16: configuration comes from the environment
# padding line 17: configuration comes from the environment
# padding line 18: configuration comes from the environment
# padding line 19: configuration comes from the environment
# padding line 20: configuration comes from the environment
roll_out() {
  kubectl set image deployment/web web="registry.example.com/web:$1"
  kubectl rollout status deployment/web --timeout=300s
}

# note 26: rollouts are serialised by the CI concurrency group
# note 27: rollouts are serialised by the CI concurrency group
# note 28: rollouts are serialised by the CI concurrency group
# note 29: rollouts are serialised by the CI concurrency group
# note 30: rollouts are serialised by the CI concurrency group
wait_for_health() {
  local tries=0
  until curl -fsS "https://web.example.com/healthz" >/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -ge 30 ]; then
      echo "health check failed" >&2
      return 1
    fi
    sleep 10
  done
}

# trailer 43: long enough that a range near the top must be scrolled to
# trailer 44: long enough that a range near the top must be scrolled to
# trailer 45: long enough that a range near the top must be scrolled to
# trailer 46: long enough that a range near the top must be scrolled to
# trailer 47: long enough that a range near the top must be scrolled to
# trailer 48: long enough that a range near the top must be scrolled to
# trailer 49: long enough that a range near the top must be scrolled to
# trailer 50: long enough that a range near the top must be scrolled to
# trailer 51: long enough that a range near the top must be scrolled to
# trailer 52: long enough that a range near the top must be scrolled to
# trailer 53: long enough that a range near the top must be scrolled to
# trailer 54: long enough that a range near the top must be scrolled to
# trailer 55: long enough that a range near the top must be scrolled to
# trailer 56: long enough that a range near the top must be scrolled to
# trailer 57: long enough that a range near the top must be scrolled to
# trailer 58: long enough that a range near the top must be scrolled to
# trailer 59: long enough that a range near the top must be scrolled to
# trailer 60: long enough that a range near the top must be scrolled to
# trailer 61: long enough that a range near the top must be scrolled to
# trailer 62: long enough that a range near the top must be scrolled to
# trailer 63: long enough that a range near the top must be scrolled to
# trailer 64: long enough that a range near the top must be scrolled to
# trailer 65: long enough that a range near the top must be scrolled to
# trailer 66: long enough that a range near the top must be scrolled to
# trailer 67: long enough that a range near the top must be scrolled to
# trailer 68: long enough that a range near the top must be scrolled to
# trailer 69: long enough that a range near the top must be scrolled to
# trailer 70: long enough that a range near the top must be scrolled to
# trailer 71: long enough that a range near the top must be scrolled to
# trailer 72: long enough that a range near the top must be scrolled to
# trailer 73: long enough that a range near the top must be scrolled to
# trailer 74: long enough that a range near the top must be scrolled to
# trailer 75: long enough that a range near the top must be scrolled to
# trailer 76: long enough that a range near the top must be scrolled to
# trailer 77: long enough that a range near the top must be scrolled to
# trailer 78: long enough that a range near the top must be scrolled to
# trailer 79: long enough that a range near the top must be scrolled to
# trailer 80: long enough that a range near the top must be scrolled to
build_image "$(git rev-parse --short HEAD)" && roll_out "$(git rev-parse --short HEAD)" && wait_for_health

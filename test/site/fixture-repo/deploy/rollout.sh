#!/usr/bin/env bash
# Deployment Process: Blue/Green Rollout
# Implements: rollback <script>alert(1)</script>
# Environment: staging
# Reference: docs/processes/blue-green-rollout.md#rollback
set -euo pipefail
echo "switching <b>traffic</b> & more"
aws elbv2 modify-rule --rule-arn "$RULE" --actions "Type=forward,TargetGroupArn=$BLUE"

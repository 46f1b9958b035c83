#!/usr/bin/env bash
# Restore the database to a point in time into a new instance.
#
# Deployment Process: Database Backup and Restore
# Implements: point-in-time restore into a new instance for verification
# Environment: production, staging
# Reference: docs/processes/database-backup-restore.md#point-in-time-restore
set -euo pipefail

ENVIRONMENT="${1:?usage: restore.sh <environment> <utc-time>}"
RESTORE_TIME="${2:?usage: restore.sh <environment> <utc-time>}"
SOURCE_DB="acme-shop-${ENVIRONMENT}"
TARGET_DB="${SOURCE_DB}-restore-$(date -u +%Y%m%d%H%M)"

aws rds restore-db-instance-to-point-in-time \
  --source-db-instance-identifier "$SOURCE_DB" \
  --target-db-instance-identifier "$TARGET_DB" \
  --restore-time "$RESTORE_TIME" \
  --db-subnet-group-name "$SOURCE_DB"

aws rds wait db-instance-available --db-instance-identifier "$TARGET_DB"
echo "restored into ${TARGET_DB}; point the app at it only after verification" >&2

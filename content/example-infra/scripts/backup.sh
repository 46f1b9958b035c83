#!/usr/bin/env bash
# On-demand database snapshot, taken before risky migrations.
#
# Deployment Process: Database Backup and Restore
# Implements: manual snapshot before a schema migration
# Environment: production
# Reference: docs/processes/database-backup-restore.md#on-demand-snapshot
set -euo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  echo "usage: $0 [environment]" >&2
  exit 0
fi

ENVIRONMENT="${1:-production}"
DB_ID="acme-shop-${ENVIRONMENT}"
SNAPSHOT_ID="${DB_ID}-manual-$(date -u +%Y%m%d%H%M)"

aws rds create-db-snapshot \
  --db-instance-identifier "$DB_ID" \
  --db-snapshot-identifier "$SNAPSHOT_ID" \
  --tags Key=reason,Value=pre-migration

aws rds wait db-snapshot-available --db-snapshot-identifier "$SNAPSHOT_ID"
echo "$SNAPSHOT_ID"

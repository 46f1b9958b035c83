/*
 * Deployment Process: Database Backup and Restore
 * Implements: cross-region copy of daily snapshots
 * Environment: production
 * Reference: docs/processes/database-backup-restore.md#cross-region-copy
 * Task: TASK-002
 */
resource "aws_backup_vault" "primary" {
  name = "acme-shop-${var.environment}"
}

resource "aws_backup_vault" "dr" {
  provider = aws.dr
  name     = "acme-shop-${var.environment}-dr"
}

resource "aws_iam_role" "backup" {
  name = "acme-shop-backup-${var.environment}"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "backup.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "backup" {
  role       = aws_iam_role.backup.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

resource "aws_backup_plan" "db" {
  name = "acme-shop-db-${var.environment}"

  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.primary.name
    schedule          = "cron(0 3 * * ? *)"

    lifecycle {
      delete_after = 35
    }

    # Staging data is synthetic: only production is copied to the secondary region.
    dynamic "copy_action" {
      for_each = var.environment == "production" ? [aws_backup_vault.dr.arn] : []

      content {
        destination_vault_arn = copy_action.value

        lifecycle {
          delete_after = 35
        }
      }
    }
  }
}

resource "aws_backup_selection" "db" {
  name         = "acme-shop-db"
  plan_id      = aws_backup_plan.db.id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = [aws_db_instance.main.arn]
}

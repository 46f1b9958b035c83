resource "aws_db_subnet_group" "main" {
  name       = "acme-shop-${var.environment}"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_security_group" "db" {
  name        = "acme-shop-db-${var.environment}"
  description = "PostgreSQL from EKS nodes only"
  vpc_id      = aws_vpc.main.id

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [for s in aws_subnet.private : s.cidr_block]
  }
}

resource "aws_db_parameter_group" "main" {
  name   = "acme-shop-pg16-${var.environment}"
  family = "postgres16"

  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }
}

# Deployment Process: Database Backup and Restore
# Implements: automated daily snapshots and point-in-time recovery
# Environment: production
# Reference: docs/processes/database-backup-restore.md#automated-snapshots
resource "aws_db_instance" "main" {
  identifier     = "acme-shop-${var.environment}"
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = var.db_instance_class

  allocated_storage     = 100
  max_allocated_storage = 500
  storage_encrypted     = true

  db_name                     = "shop"
  username                    = "shop_admin"
  manage_master_user_password = true

  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [aws_security_group.db.id]
  parameter_group_name   = aws_db_parameter_group.main.name
  multi_az               = var.environment == "production"

  backup_retention_period   = var.backup_retention_days
  backup_window             = "02:00-03:00"
  maintenance_window        = "sun:04:00-sun:05:00"
  copy_tags_to_snapshot     = true
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "acme-shop-${var.environment}-final"
}

# Reference: docs/processes/blue-green-rollout.md#production
environment           = "production"
active_color          = "blue"
certificate_arn       = "arn:aws:acm:eu-west-1:123456789012:certificate/4f1c2d7e-prod"
node_instance_types   = ["m6i.xlarge"]
db_instance_class     = "db.m6g.xlarge"
backup_retention_days = 35

# Reference: docs/processes/blue-green-rollout.md#staging
environment           = "staging"
active_color          = "green"
certificate_arn       = "arn:aws:acm:eu-west-1:123456789012:certificate/9a8b7c6d-stg"
node_instance_types   = ["t3.large"]
db_instance_class     = "db.t4g.medium"
backup_retention_days = 7

# Deployment Process: Blue/Green Rollout
# Implements: traffic switch between target groups
# Environment: production
# Reference: docs/processes/blue-green-rollout.md#traffic-switch
resource "aws_lb_listener_rule" "switch" {
  listener_arn = aws_lb_listener.main.arn
  action {
    type             = "forward"
    target_group_arn = var.green ? aws_lb_target_group.green.arn : aws_lb_target_group.blue.arn
  }
}

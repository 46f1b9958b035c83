resource "aws_security_group" "alb" {
  name        = "acme-shop-alb-${var.environment}"
  description = "Public HTTPS to the load balancer"
  vpc_id      = aws_vpc.main.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb" "web" {
  name               = "acme-shop-${var.environment}"
  load_balancer_type = "application"
  security_groups    = [aws_security_group.alb.id]
  subnets            = aws_subnet.public[*].id
}

# Deployment Process: Blue/Green Rollout
# Implements: one target group per color; the idle color receives the new release
# Environment: production
# Reference: docs/processes/blue-green-rollout.md#deploy-to-the-idle-color
resource "aws_lb_target_group" "web" {
  for_each = toset(["blue", "green"])

  name        = "acme-shop-${var.environment}-${each.key}"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.main.id

  health_check {
    path                = "/healthz/ready"
    interval            = 10
    healthy_threshold   = 2
    unhealthy_threshold = 3
    matcher             = "200"
  }

  deregistration_delay = 30
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
      message_body = "not found"
      status_code  = "404"
    }
  }
}

# Deployment Process: Blue/Green Rollout
# Implements: traffic switch between target groups
# Environment: production
# Reference: docs/processes/blue-green-rollout.md#switch-traffic
# Task: TASK-001
resource "aws_lb_listener_rule" "switch" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 100

  action {
    type = "forward"

    forward {
      target_group {
        arn    = aws_lb_target_group.web["blue"].arn
        weight = var.active_color == "blue" ? 100 : 0
      }

      target_group {
        arn    = aws_lb_target_group.web["green"].arn
        weight = var.active_color == "green" ? 100 : 0
      }

      stickiness {
        enabled  = false
        duration = 60
      }
    }
  }

  condition {
    path_pattern {
      values = ["/*"]
    }
  }
}

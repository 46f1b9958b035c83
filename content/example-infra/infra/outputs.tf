output "alb_dns_name" {
  description = "Public DNS name of the application load balancer."
  value       = aws_lb.web.dns_name
}

output "active_color" {
  description = "Color currently receiving production traffic."
  value       = var.active_color
}

output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = aws_eks_cluster.main.name
}

output "db_endpoint" {
  description = "Writer endpoint of the PostgreSQL database."
  value       = aws_db_instance.main.address
  sensitive   = true
}

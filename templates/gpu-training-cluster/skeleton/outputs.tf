output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = aws_eks_cluster.this.arn
}

output "cluster_endpoint" {
  description = "Private endpoint of the Kubernetes API."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA certificate of the Kubernetes API (public data)."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "oidc_issuer_url" {
  description = "OIDC issuer of the cluster, for IAM roles of service accounts."
  value       = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

output "node_role_arn" {
  description = "IAM role of the nodes."
  value       = aws_iam_role.node.arn
}

output "node_pools" {
  description = "Node groups by pool name."
  value       = { for name, group in aws_eks_node_group.pool : name => group.arn }
}

output "kms_key_arn" {
  description = "Customer-managed key encrypting Kubernetes secrets, node volumes and logs."
  value       = aws_kms_key.this.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the control plane logs."
  value       = aws_cloudwatch_log_group.cluster.name
}

output "alarm_arns" {
  description = "CloudWatch alarms of the cluster."
  value       = [aws_cloudwatch_metric_alarm.failed_nodes.arn, aws_cloudwatch_metric_alarm.idle_accelerators.arn]
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the cluster."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = module.cluster.cluster_name
}

output "node_pools" {
  description = "Node groups by pool name."
  value       = module.cluster.node_pools
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the cluster."
  value       = module.cluster.dashboard_name
}

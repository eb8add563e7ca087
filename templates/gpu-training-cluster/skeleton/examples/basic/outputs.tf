output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = module.cluster.cluster_name
}

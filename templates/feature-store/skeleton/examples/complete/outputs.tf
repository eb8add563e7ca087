output "feature_group_name" {
  description = "Name of the feature group."
  value       = module.feature_store.feature_group_name
}

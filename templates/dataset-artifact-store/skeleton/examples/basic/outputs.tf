output "dataset_bucket" {
  description = "Bucket of the training datasets."
  value       = module.store.dataset_bucket
}

output "artifact_bucket" {
  description = "Bucket of the model artifacts."
  value       = module.store.artifact_bucket
}

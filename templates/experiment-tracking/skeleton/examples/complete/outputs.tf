output "backend_store_uri" {
  description = "MLflow backend store URI (no credentials)."
  value       = module.tracking.backend_store_uri
}

output "endpoint_name" {
  description = "Name of the SageMaker endpoint."
  value       = module.endpoint.endpoint_name
}

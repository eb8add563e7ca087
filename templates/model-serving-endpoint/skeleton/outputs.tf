output "endpoint_name" {
  description = "Name of the SageMaker endpoint."
  value       = aws_sagemaker_endpoint.this.name
}

output "endpoint_arn" {
  description = "ARN of the SageMaker endpoint (invoke with sagemaker:InvokeEndpoint, IAM-authenticated)."
  value       = aws_sagemaker_endpoint.this.arn
}

output "execution_role_arn" {
  description = "IAM role the model runs as."
  value       = aws_iam_role.execution.arn
}

output "data_capture_bucket" {
  description = "Bucket holding captured requests and responses."
  value       = module.data_capture_bucket.id
}

output "kms_key_arn" {
  description = "Customer-managed key encrypting the endpoint storage, data capture and logs."
  value       = aws_kms_key.this.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the endpoint."
  value       = aws_cloudwatch_log_group.endpoint.name
}

output "alarm_arns" {
  description = "CloudWatch alarms of the endpoint."
  value       = [aws_cloudwatch_metric_alarm.latency.arn, aws_cloudwatch_metric_alarm.errors.arn]
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the endpoint."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "database_endpoint" {
  description = "Host and port of the MLflow database."
  value       = aws_db_instance.this.endpoint
}

output "backend_store_uri" {
  description = "MLflow --backend-store-uri without credentials; the server reads the password from database_secret_arn."
  value       = "postgresql://${aws_db_instance.this.username}@${aws_db_instance.this.endpoint}/${aws_db_instance.this.db_name}"
}

output "database_secret_arn" {
  description = "ARN (a reference, not the value) of the Secrets Manager secret holding the database credentials."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "artifact_bucket" {
  description = "Bucket for MLflow artifacts (--default-artifact-root s3://<bucket>/)."
  value       = module.artifact_bucket.id
}

output "tracking_server_policy_arn" {
  description = "IAM policy to attach to the role the MLflow tracking server runs as."
  value       = aws_iam_policy.tracking_server.arn
}

output "database_security_group_id" {
  description = "Security group of the database."
  value       = aws_security_group.database.id
}

output "kms_key_arn" {
  description = "Customer-managed key encrypting the database, its secret, logs and artifacts."
  value       = aws_kms_key.this.arn
}

output "alarm_arns" {
  description = "CloudWatch alarms of the database."
  value       = [aws_cloudwatch_metric_alarm.cpu.arn, aws_cloudwatch_metric_alarm.storage.arn]
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the tracking backend."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

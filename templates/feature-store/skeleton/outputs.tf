output "feature_group_name" {
  description = "Name of the feature group."
  value       = aws_sagemaker_feature_group.this.feature_group_name
}

output "feature_group_arn" {
  description = "ARN of the feature group."
  value       = aws_sagemaker_feature_group.this.arn
}

output "offline_store_bucket" {
  description = "Bucket of the offline store."
  value       = module.offline_store_bucket.id
}

output "glue_database" {
  description = "Glue database of the offline store tables (query with Athena)."
  value       = aws_glue_catalog_database.this.name
}

output "consumer_policy_arn" {
  description = "IAM policy granting read access to the features; attach it to training and inference roles."
  value       = aws_iam_policy.consumers.arn
}

output "kms_key_arn" {
  description = "Customer-managed key encrypting the online and offline stores."
  value       = aws_kms_key.this.arn
}

output "alarm_arns" {
  description = "CloudWatch alarms of the feature group."
  value       = [aws_cloudwatch_metric_alarm.throttled_reads.arn, aws_cloudwatch_metric_alarm.read_latency.arn]
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the feature group."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

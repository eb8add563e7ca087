output "dataset_bucket" {
  description = "Bucket of the training datasets."
  value       = module.store["datasets"].id
}

output "artifact_bucket" {
  description = "Bucket of the model artifacts."
  value       = module.store["artifacts"].id
}

output "bucket_arns" {
  description = "ARNs of the buckets by store."
  value       = { for key, store in module.store : key => store.arn }
}

output "read_policy_arn" {
  description = "IAM policy to read datasets and artifacts; attach it to training and serving roles."
  value       = aws_iam_policy.read.arn
}

output "write_policy_arn" {
  description = "IAM policy to read and write datasets and artifacts; attach it to pipeline roles."
  value       = aws_iam_policy.write.arn
}

output "kms_key_arn" {
  description = "Customer-managed key encrypting both buckets."
  value       = aws_kms_key.this.arn
}

output "alarm_arns" {
  description = "CloudWatch alarms of the buckets."
  value       = concat([for a in aws_cloudwatch_metric_alarm.server_errors : a.arn], [for a in aws_cloudwatch_metric_alarm.access_denied : a.arn])
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the buckets."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "access_log_bucket" {
  description = "Bucket receiving the S3 server access logs of both buckets."
  value       = local.access_log_bucket
}

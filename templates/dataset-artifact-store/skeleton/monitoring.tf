resource "aws_cloudwatch_metric_alarm" "server_errors" {
  for_each = local.stores

  alarm_name          = "${var.name}-${var.environment}-${each.key}-5xx"
  alarm_description   = "The ${each.key} bucket of ${var.name} returns server errors."
  namespace           = "AWS/S3"
  metric_name         = "5xxErrors"
  dimensions          = { BucketName = module.store[each.key].id, FilterId = aws_s3_bucket_metric.requests[each.key].name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 2
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "access_denied" {
  for_each = local.stores

  alarm_name          = "${var.name}-${var.environment}-${each.key}-4xx"
  alarm_description   = "Many denied or failed requests on the ${each.key} bucket of ${var.name}: misconfigured client or probing."
  namespace           = "AWS/S3"
  metric_name         = "4xxErrors"
  dimensions          = { BucketName = module.store[each.key].id, FilterId = aws_s3_bucket_metric.requests[each.key].name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 3
  threshold           = var.client_error_alarm_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = "${var.name}-${var.environment}"
  dashboard_body = jsonencode({
    widgets = [
      for key, store in module.store : {
        type   = "metric"
        width  = 12
        height = 6
        properties = {
          title  = "Requests: ${key}"
          region = data.aws_region.current.name
          metrics = [
            ["AWS/S3", "AllRequests", "BucketName", store.id, "FilterId", "EntireBucket"],
            ["AWS/S3", "4xxErrors", "BucketName", store.id, "FilterId", "EntireBucket"],
            ["AWS/S3", "5xxErrors", "BucketName", store.id, "FilterId", "EntireBucket"],
          ]
          stat   = "Sum"
          period = 300
        }
      }
    ]
  })
}

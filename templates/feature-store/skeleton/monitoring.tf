resource "aws_cloudwatch_metric_alarm" "throttled_reads" {
  alarm_name          = "${local.feature_group_name}-throttled-reads"
  alarm_description   = "Online store reads of ${local.feature_group_name} are throttled."
  namespace           = "AWS/SageMaker/FeatureStore"
  metric_name         = "ThrottledRequests"
  dimensions          = { FeatureGroupName = aws_sagemaker_feature_group.this.feature_group_name, OperationName = "GetRecord" }
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

resource "aws_cloudwatch_metric_alarm" "read_latency" {
  alarm_name          = "${local.feature_group_name}-read-latency"
  alarm_description   = "p99 online store read latency of ${local.feature_group_name} is above ${var.read_latency_alarm_ms} ms."
  namespace           = "AWS/SageMaker/FeatureStore"
  metric_name         = "Latency"
  dimensions          = { FeatureGroupName = aws_sagemaker_feature_group.this.feature_group_name, OperationName = "GetRecord" }
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 3
  threshold           = var.read_latency_alarm_ms * 1000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = local.feature_group_name
  dashboard_body = jsonencode({
    widgets = [
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = {
          title  = "Online store requests"
          region = data.aws_region.current.name
          metrics = [
            ["AWS/SageMaker/FeatureStore", "ConsumedReadRequestsUnits", "FeatureGroupName", aws_sagemaker_feature_group.this.feature_group_name],
            ["AWS/SageMaker/FeatureStore", "ConsumedWriteRequestsUnits", "FeatureGroupName", aws_sagemaker_feature_group.this.feature_group_name],
          ]
          stat   = "Sum"
          period = 300
        }
      },
    ]
  })
}

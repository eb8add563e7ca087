resource "aws_cloudwatch_log_group" "endpoint" {
  name              = "/aws/sagemaker/Endpoints/${local.endpoint_name}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = aws_kms_key.this.arn
  tags              = local.tags
}

resource "aws_cloudwatch_metric_alarm" "latency" {
  alarm_name          = "${local.endpoint_name}-model-latency"
  alarm_description   = "p90 model latency of ${local.endpoint_name} is above ${var.latency_alarm_ms} ms."
  namespace           = "AWS/SageMaker"
  metric_name         = "ModelLatency"
  dimensions          = { EndpointName = aws_sagemaker_endpoint.this.name, VariantName = local.variant_name }
  extended_statistic  = "p90"
  period              = 300
  evaluation_periods  = 3
  threshold           = var.latency_alarm_ms * 1000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "${local.endpoint_name}-5xx"
  alarm_description   = "${local.endpoint_name} returns server errors."
  namespace           = "AWS/SageMaker"
  metric_name         = "Invocation5XXErrors"
  dimensions          = { EndpointName = aws_sagemaker_endpoint.this.name, VariantName = local.variant_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = local.endpoint_name
  dashboard_body = jsonencode({
    widgets = [
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = {
          title  = "Invocations and errors"
          region = data.aws_region.current.name
          metrics = [
            ["AWS/SageMaker", "Invocations", "EndpointName", aws_sagemaker_endpoint.this.name, "VariantName", local.variant_name],
            ["AWS/SageMaker", "Invocation5XXErrors", "EndpointName", aws_sagemaker_endpoint.this.name, "VariantName", local.variant_name],
            ["AWS/SageMaker", "Invocation4XXErrors", "EndpointName", aws_sagemaker_endpoint.this.name, "VariantName", local.variant_name],
          ]
          stat   = "Sum"
          period = 60
        }
      },
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = {
          title   = "Model latency p90 (microseconds)"
          region  = data.aws_region.current.name
          metrics = [["AWS/SageMaker", "ModelLatency", "EndpointName", aws_sagemaker_endpoint.this.name, "VariantName", local.variant_name]]
          stat    = "p90"
          period  = 60
        }
      },
    ]
  })
}

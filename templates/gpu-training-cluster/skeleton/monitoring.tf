# Container Insights (the amazon-cloudwatch-observability add-on) publishes these metrics.

resource "aws_cloudwatch_metric_alarm" "failed_nodes" {
  alarm_name          = "${local.cluster_name}-failed-nodes"
  alarm_description   = "Nodes of ${local.cluster_name} are failing."
  namespace           = "ContainerInsights"
  metric_name         = "cluster_failed_node_count"
  dimensions          = { ClusterName = aws_eks_cluster.this.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "idle_accelerators" {
  alarm_name          = "${local.cluster_name}-idle-accelerators"
  alarm_description   = "Accelerators of ${local.cluster_name} have been mostly idle for hours: scale the training pools down."
  namespace           = "ContainerInsights"
  metric_name         = "node_gpu_utilization"
  dimensions          = { ClusterName = aws_eks_cluster.this.name }
  statistic           = "Average"
  period              = 3600
  evaluation_periods  = var.idle_accelerator_alarm_hours
  threshold           = 10
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  tags                = local.tags
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = local.cluster_name
  dashboard_body = jsonencode({
    widgets = [
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = {
          title   = "Accelerator utilization"
          region  = data.aws_region.current.name
          metrics = [["ContainerInsights", "node_gpu_utilization", "ClusterName", aws_eks_cluster.this.name]]
          stat    = "Average"
          period  = 300
        }
      },
      {
        type   = "metric"
        width  = 12
        height = 6
        properties = {
          title  = "Nodes"
          region = data.aws_region.current.name
          metrics = [
            ["ContainerInsights", "cluster_node_count", "ClusterName", aws_eks_cluster.this.name],
            ["ContainerInsights", "cluster_failed_node_count", "ClusterName", aws_eks_cluster.this.name],
          ]
          stat   = "Maximum"
          period = 300
        }
      },
    ]
  })
}

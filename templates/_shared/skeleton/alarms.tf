# Every alarm of the module notifies one SNS topic encrypted with the module's key: the topic
# created here, or the platform's own topic passed in alarm_topic_arn. alarm_actions adds more.

locals {
  alarm_topic_name = "${var.name}-${var.environment}-alarms"
  alarm_topic_arn  = var.alarm_topic_arn != null ? var.alarm_topic_arn : "arn:${data.aws_partition.current.partition}:sns:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:${local.alarm_topic_name}"
  alarm_actions    = distinct(concat([local.alarm_topic_arn], var.alarm_actions))
}

resource "aws_sns_topic" "alarms" {
  count = var.alarm_topic_arn == null ? 1 : 0

  name              = local.alarm_topic_name
  kms_master_key_id = aws_kms_key.this.arn
  tags              = local.tags
}

data "aws_iam_policy_document" "alarms" {
  statement {
    sid       = "CloudWatchAlarms"
    actions   = ["sns:Publish"]
    resources = [local.alarm_topic_arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:cloudwatch:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:alarm:*"]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  count = var.alarm_topic_arn == null ? 1 : 0

  arn    = aws_sns_topic.alarms[0].arn
  policy = data.aws_iam_policy_document.alarms.json
}

variable "alarm_topic_arn" {
  description = "Existing SNS topic (encrypted with a customer-managed key) every alarm notifies; null creates one encrypted with the module's key."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.alarm_topic_arn))
    error_message = "alarm_topic_arn must be an SNS topic ARN."
  }
}

variable "alarm_actions" {
  description = "Further ARNs (SNS topics) notified when an alarm fires, besides the alarm topic."
  type        = list(string)
  default     = []
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm of the module notifies."
  value       = local.alarm_topic_arn
}

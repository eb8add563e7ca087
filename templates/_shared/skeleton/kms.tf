data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

# Customer-managed key for everything this module stores: data, logs and state of the service.
resource "aws_kms_key" "this" {
  description             = "${var.name} (${var.environment}) data and logs"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms.json
  tags                    = local.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}-${var.environment}"
  target_key_id = aws_kms_key.this.key_id
}

data "aws_iam_policy_document" "kms" {
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  # Service-linked roles cannot get IAM policies; modules list the ones that use the key in
  # local.kms_service_linked_role_arns (e.g. EC2 Auto Scaling for encrypted node volumes).
  dynamic "statement" {
    for_each = length(local.kms_service_linked_role_arns) > 0 ? [1] : []
    content {
      sid       = "ServiceLinkedRoles"
      actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"]
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = local.kms_service_linked_role_arns
      }
    }
  }

  statement {
    sid       = "CloudWatchLogs"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${data.aws_region.current.name}.amazonaws.com"]
    }
  }
}

variable "kms_deletion_window_in_days" {
  description = "Days a scheduled deletion of the customer-managed key waits."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_in_days >= 7 && var.kms_deletion_window_in_days <= 30
    error_message = "kms_deletion_window_in_days must be between 7 and 30."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the module's CloudWatch log groups."
  type        = number
  default     = 90

  validation {
    condition     = contains([30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a retention CloudWatch Logs supports (30 to 3653)."
  }
}

variable "alarm_actions" {
  description = "ARNs (SNS topics) notified when an alarm of this module fires."
  type        = list(string)
  default     = []
}

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

locals {
  # Every service statement below names the resources it may use the key for through the
  # encryption context AWS attaches to each request, so the key cannot be borrowed by other
  # log groups, topics or accounts.
  kms_log_group_arns = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:*"
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
      actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = local.kms_service_linked_role_arns
      }
    }
  }

  # Grants only for AWS resources (the volumes EC2 attaches), never for arbitrary grantees.
  dynamic "statement" {
    for_each = length(local.kms_service_linked_role_arns) > 0 ? [1] : []
    content {
      sid       = "ServiceLinkedRoleGrants"
      actions   = ["kms:CreateGrant"]
      resources = ["*"]

      principals {
        type        = "AWS"
        identifiers = local.kms_service_linked_role_arns
      }

      condition {
        test     = "Bool"
        variable = "kms:GrantIsForAWSResource"
        values   = ["true"]
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

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = [local.kms_log_group_arns]
    }
  }

  # CloudWatch alarms publish to the module's encrypted alarm topic (alarms.tf).
  statement {
    sid       = "AlarmNotifications"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:sns:topicArn"
      values   = [local.alarm_topic_arn]
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

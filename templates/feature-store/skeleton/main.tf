locals {
  feature_group_name = "${var.name}-${var.environment}"
  glue_database      = replace("${var.name}_${var.environment}_features", "-", "_")

  kms_service_linked_role_arns = []
}

module "offline_store_bucket" {
  source = "./modules/secure-bucket"

  bucket                             = "${substr(local.feature_group_name, 0, 30)}-${data.aws_caller_identity.current.account_id}-offline"
  kms_key_arn                        = aws_kms_key.this.arn
  noncurrent_version_expiration_days = var.offline_noncurrent_version_expiration_days
  transitions                        = [{ days = 90, storage_class = "INTELLIGENT_TIERING" }]
  logging_bucket                     = var.access_log_bucket
  force_destroy                      = var.force_destroy
  tags                               = local.tags
}

resource "aws_glue_catalog_database" "this" {
  name        = local.glue_database
  description = "Offline store tables of the ${local.feature_group_name} feature group."
  tags        = local.tags
}

resource "aws_sagemaker_feature_group" "this" {
  feature_group_name             = local.feature_group_name
  description                    = var.description
  record_identifier_feature_name = var.record_identifier_feature_name
  event_time_feature_name        = var.event_time_feature_name
  role_arn                       = aws_iam_role.feature_store.arn

  dynamic "feature_definition" {
    for_each = var.features
    content {
      feature_name = feature_definition.value.name
      feature_type = feature_definition.value.type
    }
  }

  online_store_config {
    enable_online_store = var.online_store_enabled

    security_config {
      kms_key_id = aws_kms_key.this.arn
    }

    dynamic "ttl_duration" {
      for_each = var.online_ttl_days == null ? [] : [1]
      content {
        unit  = "Days"
        value = var.online_ttl_days
      }
    }
  }

  offline_store_config {
    disable_glue_table_creation = false

    s3_storage_config {
      s3_uri     = "s3://${module.offline_store_bucket.id}/offline-store"
      kms_key_id = aws_kms_key.this.arn
    }

    data_catalog_config {
      catalog    = "AwsDataCatalog"
      database   = aws_glue_catalog_database.this.name
      table_name = replace(local.feature_group_name, "-", "_")
    }
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = contains([for f in var.features : f.name], var.record_identifier_feature_name) && contains([for f in var.features : f.name], var.event_time_feature_name)
      error_message = "features must define record_identifier_feature_name and event_time_feature_name."
    }

    precondition {
      condition     = alltrue([for f in var.features : contains(["String", "Fractional"], f.type) if f.name == var.event_time_feature_name])
      error_message = "The event time feature must be of type String (ISO-8601) or Fractional (epoch seconds)."
    }

    precondition {
      condition     = alltrue([for f in var.features : contains(["String", "Integral"], f.type) if f.name == var.record_identifier_feature_name])
      error_message = "The record identifier feature must be of type String or Integral."
    }
  }

  depends_on = [aws_iam_role_policy.feature_store]
}

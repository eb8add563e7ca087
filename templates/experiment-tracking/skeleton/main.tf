locals {
  identifier = "${var.name}-${var.environment}"

  kms_service_linked_role_arns = []
}

module "artifact_bucket" {
  source = "./modules/secure-bucket"

  bucket                             = "${substr(local.identifier, 0, 30)}-${data.aws_caller_identity.current.account_id}-mlflow"
  kms_key_arn                        = aws_kms_key.this.arn
  noncurrent_version_expiration_days = var.artifact_noncurrent_version_expiration_days
  transitions                        = [{ days = 90, storage_class = "INTELLIGENT_TIERING" }]
  logging_bucket                     = var.access_log_bucket
  force_destroy                      = var.force_destroy
  tags                               = local.tags
}

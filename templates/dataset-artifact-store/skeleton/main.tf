locals {
  prefix = "${substr("${var.name}-${var.environment}", 0, 30)}-${data.aws_caller_identity.current.account_id}"

  # Datasets tier down as they age; model artifacts stay hot but old versions expire later.
  stores = {
    datasets = {
      transitions                        = var.dataset_transitions
      noncurrent_version_expiration_days = var.dataset_noncurrent_version_expiration_days
    }
    artifacts = {
      transitions                        = var.artifact_transitions
      noncurrent_version_expiration_days = var.artifact_noncurrent_version_expiration_days
    }
  }

  kms_service_linked_role_arns = []

  # Server access logs are on by default: into a log bucket of the module, or the one passed in.
  access_log_bucket = var.access_log_bucket != null ? var.access_log_bucket : "${local.prefix}-access-logs"
}

module "access_logs" {
  source = "./modules/secure-bucket"
  count  = var.access_log_bucket == null ? 1 : 0

  bucket                             = local.access_log_bucket
  access_log_target                  = true
  noncurrent_version_expiration_days = 30
  transitions                        = [{ days = 90, storage_class = "GLACIER_IR" }]
  force_destroy                      = var.force_destroy
  tags                               = local.tags
}

module "store" {
  source   = "./modules/secure-bucket"
  for_each = local.stores

  bucket                             = "${local.prefix}-${each.key}"
  kms_key_arn                        = aws_kms_key.this.arn
  versioning                         = true
  transitions                        = each.value.transitions
  noncurrent_version_expiration_days = each.value.noncurrent_version_expiration_days
  logging_bucket                     = local.access_log_bucket
  force_destroy                      = var.force_destroy
  tags                               = local.tags

  depends_on = [module.access_logs]
}

resource "aws_s3_bucket_metric" "requests" {
  for_each = local.stores

  bucket = module.store[each.key].id
  name   = "EntireBucket"
}

data "aws_iam_policy_document" "read" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:ListBucketVersions"]
    resources = flatten([for store in module.store : [store.arn, "${store.arn}/*"]])
  }

  statement {
    sid       = "Decrypt"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = [aws_kms_key.this.arn]
  }
}

data "aws_iam_policy_document" "write" {
  source_policy_documents = [data.aws_iam_policy_document.read.json]

  statement {
    sid       = "Write"
    actions   = ["s3:PutObject", "s3:AbortMultipartUpload"]
    resources = [for store in module.store : "${store.arn}/*"]
  }

  statement {
    sid       = "Encrypt"
    actions   = ["kms:GenerateDataKey", "kms:Encrypt"]
    resources = [aws_kms_key.this.arn]
  }
}

resource "aws_iam_policy" "read" {
  name_prefix = "${substr(var.name, 0, 30)}-read-"
  description = "Read datasets and model artifacts of ${var.name} (${var.environment})."
  policy      = data.aws_iam_policy_document.read.json
  tags        = local.tags
}

resource "aws_iam_policy" "write" {
  name_prefix = "${substr(var.name, 0, 30)}-write-"
  description = "Read and write datasets and model artifacts of ${var.name} (${var.environment})."
  policy      = data.aws_iam_policy_document.write.json
  tags        = local.tags
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "feature_store" {
  name_prefix        = "${substr(local.feature_group_name, 0, 30)}-fs-"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = local.tags
}

data "aws_iam_policy_document" "feature_store" {
  statement {
    sid       = "OfflineStore"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:GetBucketAcl", "s3:ListBucket"]
    resources = [module.offline_store_bucket.arn, "${module.offline_store_bucket.arn}/*"]
  }

  statement {
    sid       = "UseKey"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:CreateGrant"]
    resources = [aws_kms_key.this.arn]
  }

  # Glue authorizes table actions on the catalog, the database and the table together.
  statement {
    sid     = "GlueCatalog"
    actions = ["glue:GetTable", "glue:CreateTable", "glue:UpdateTable", "glue:GetDatabase"]
    resources = [
      "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:catalog",
      "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:database/${local.glue_database}",
      "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:table/${local.glue_database}/*",
    ]
  }
}

resource "aws_iam_role_policy" "feature_store" {
  name   = "feature-store"
  role   = aws_iam_role.feature_store.id
  policy = data.aws_iam_policy_document.feature_store.json
}

data "aws_iam_policy_document" "consumers" {
  statement {
    sid       = "ReadOnlineStore"
    actions   = ["sagemaker:GetRecord", "sagemaker:BatchGetRecord", "sagemaker:DescribeFeatureGroup"]
    resources = [aws_sagemaker_feature_group.this.arn]
  }

  statement {
    sid       = "ReadOfflineStore"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [module.offline_store_bucket.arn, "${module.offline_store_bucket.arn}/*"]
  }

  statement {
    sid       = "Decrypt"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = [aws_kms_key.this.arn]
  }
}

resource "aws_iam_policy" "consumers" {
  name_prefix = "${substr(local.feature_group_name, 0, 30)}-read-"
  description = "Read access to the ${local.feature_group_name} features, for training and inference roles."
  policy      = data.aws_iam_policy_document.consumers.json
  tags        = local.tags
}

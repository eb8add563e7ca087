data "aws_iam_policy_document" "tracking_server" {
  statement {
    sid       = "Artifacts"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"]
    resources = [module.artifact_bucket.arn, "${module.artifact_bucket.arn}/*"]
  }

  statement {
    sid       = "ReadDatabaseSecretByReference"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_db_instance.this.master_user_secret[0].secret_arn]
  }

  statement {
    sid       = "UseKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [aws_kms_key.this.arn]
  }
}

resource "aws_iam_policy" "tracking_server" {
  name_prefix = "${substr(local.identifier, 0, 30)}-mlflow-"
  description = "What the MLflow tracking server of ${local.identifier} needs: artifacts, database secret, key."
  policy      = data.aws_iam_policy_document.tracking_server.json
  tags        = local.tags
}

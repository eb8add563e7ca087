data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name_prefix        = "${substr(local.endpoint_name, 0, 30)}-exec-"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = local.tags
}

locals {
  # <account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@digest]
  ecr_image          = regex("^([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com/([^:@]+)", var.container_image)
  ecr_repository_arn = "arn:${data.aws_partition.current.partition}:ecr:${local.ecr_image[1]}:${local.ecr_image[0]}:repository/${local.ecr_image[2]}"
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "ReadModel"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:${data.aws_partition.current.partition}:s3:::${split("/", trimprefix(var.model_data_url, "s3://"))[0]}", "arn:${data.aws_partition.current.partition}:s3:::${trimprefix(var.model_data_url, "s3://")}"]
  }

  statement {
    sid       = "WriteDataCapture"
    actions   = ["s3:PutObject"]
    resources = ["${module.data_capture_bucket.arn}/*"]
  }

  statement {
    sid       = "UseKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:CreateGrant"]
    resources = [aws_kms_key.this.arn]
  }

  # GetAuthorizationToken takes no resource; the image itself is read from its repository only.
  statement {
    sid       = "EcrToken"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "PullImage"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    resources = [local.ecr_repository_arn]
  }

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.endpoint.arn}:*"]
  }

  # PutMetricData has no resource type; the namespace condition keeps it to SageMaker's own.
  statement {
    sid       = "Metrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "cloudwatch:namespace"
      values   = ["/aws/sagemaker/*"]
    }
  }

  statement {
    sid       = "Network"
    actions   = ["ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission", "ec2:Describe*"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = length(var.secret_arns) > 0 ? [1] : []
    content {
      sid       = "ReadSecretsByReference"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = values(var.secret_arns)
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "endpoint"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

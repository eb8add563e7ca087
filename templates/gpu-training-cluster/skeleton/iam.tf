data "aws_iam_policy_document" "cluster_assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

locals {
  # IAM allows name_prefix up to 38 characters (64 minus the 26 Terraform appends); the longest
  # suffix below is "-cluster-" (9), so the cluster name is cut to 28.
  iam_name_prefix = trimsuffix(substr(local.cluster_name, 0, 28), "-")
}

resource "aws_iam_role" "cluster" {
  name_prefix        = "${local.iam_name_prefix}-cluster-"
  assume_role_policy = data.aws_iam_policy_document.cluster_assume.json
  tags               = local.tags
}

# Envelope encryption of Kubernetes secrets: EKS calls KMS as the cluster role.
data "aws_iam_policy_document" "cluster_encryption" {
  statement {
    sid       = "SecretsEncryption"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]
    resources = [aws_kms_key.this.arn]
  }
}

resource "aws_iam_role_policy" "cluster_encryption" {
  name   = "secrets-encryption"
  role   = aws_iam_role.cluster.id
  policy = data.aws_iam_policy_document.cluster_encryption.json
}

resource "aws_iam_role_policy_attachment" "cluster" {
  for_each = toset(["AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController"])

  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/${each.value}"
}

data "aws_iam_policy_document" "node_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name_prefix        = "${local.iam_name_prefix}-node-"
  assume_role_policy = data.aws_iam_policy_document.node_assume.json
  tags               = local.tags
}

# Managed policies every EKS node needs. Image pulls cannot be scoped to this module: nodes pull
# the EKS add-on images from AWS-owned registries in other accounts.
resource "aws_iam_role_policy_attachment" "node" {
  for_each = toset([
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonSSMManagedInstanceCore",
  ])

  role       = aws_iam_role.node.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/${each.value}"
}

# What the Container Insights agent on the nodes needs, instead of CloudWatchAgentServerPolicy
# (logs:* and more on every log group of the account): its own log groups and metric namespaces.
data "aws_iam_policy_document" "node_observability" {
  statement {
    sid       = "ContainerInsightsLogs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:/aws/containerinsights/${local.cluster_name}/*"]
  }

  statement {
    sid       = "FindLogGroups"
    actions   = ["logs:DescribeLogGroups"]
    resources = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:*"]
  }

  # PutMetricData and the EC2 Describe calls have no resource type.
  statement {
    sid       = "Metrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["ContainerInsights", "CWAgent"]
    }
  }

  statement {
    sid       = "DescribeNodes"
    actions   = ["ec2:DescribeVolumes", "ec2:DescribeTags"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "node_observability" {
  name   = "container-insights"
  role   = aws_iam_role.node.id
  policy = data.aws_iam_policy_document.node_observability.json
}

locals {
  cluster_name = "${var.name}-${var.environment}"

  # The system pool runs cluster services on demand; training pools carry the accelerators.
  node_pools = merge(
    {
      system = {
        instance_types = var.system_node_pool.instance_types
        capacity_type  = "ON_DEMAND"
        ami_type       = "AL2023_x86_64_STANDARD"
        min_size       = var.system_node_pool.min_size
        max_size       = var.system_node_pool.max_size
        desired_size   = var.system_node_pool.desired_size
        disk_size_gb   = 100
        accelerated    = false
      }
    },
    {
      for name, pool in var.training_node_pools : name => {
        instance_types = pool.instance_types
        capacity_type  = pool.capacity_type
        ami_type       = var.accelerated_ami_type
        min_size       = pool.min_size
        max_size       = pool.max_size
        desired_size   = pool.desired_size
        disk_size_gb   = pool.disk_size_gb
        accelerated    = true
      }
    },
  )

  kms_service_linked_role_arns = [
    "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
  ]
}

resource "aws_cloudwatch_log_group" "cluster" {
  name              = "/aws/eks/${local.cluster_name}/cluster"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = aws_kms_key.this.arn
  tags              = local.tags
}

resource "aws_eks_cluster" "this" {
  name                      = local.cluster_name
  version                   = var.kubernetes_version
  role_arn                  = aws_iam_role.cluster.arn
  enabled_cluster_log_types = var.cluster_log_types

  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = false
  }

  encryption_config {
    resources = ["secrets"]

    provider {
      key_arn = aws_kms_key.this.arn
    }
  }

  # Administrators come from access entries (below): whoever ran the first apply does not stay
  # cluster admin forever.
  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = false
  }

  # Standard support only: a cluster left on an old version fails the upgrade path loudly instead
  # of silently moving to paid extended support.
  upgrade_policy {
    support_type = var.support_type
  }

  tags = local.tags

  depends_on = [
    aws_cloudwatch_log_group.cluster,
    aws_iam_role_policy_attachment.cluster,
    aws_iam_role_policy.cluster_encryption,
  ]
}

resource "aws_eks_access_entry" "admins" {
  for_each = toset(var.cluster_admin_principal_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  type          = "STANDARD"
  tags          = local.tags
}

resource "aws_eks_access_policy_association" "admins" {
  for_each = toset(var.cluster_admin_principal_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_eks_access_entry.admins[each.value].principal_arn
  policy_arn    = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }
}

# Container Insights writes to these groups; created here first so they are encrypted with the
# module's key and expire, instead of being created by the agent unencrypted and kept forever.
resource "aws_cloudwatch_log_group" "container_insights" {
  for_each = toset(["application", "dataplane", "host", "performance"])

  name              = "/aws/containerinsights/${local.cluster_name}/${each.value}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = aws_kms_key.this.arn
  tags              = local.tags
}

resource "aws_launch_template" "pool" {
  for_each = local.node_pools

  name_prefix            = "${local.cluster_name}-${each.key}-"
  update_default_version = true

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = each.value.disk_size_gb
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = aws_kms_key.this.arn
      delete_on_termination = true
    }
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }

  tag_specifications {
    resource_type = "instance"
    tags          = local.tags
  }

  tag_specifications {
    resource_type = "volume"
    tags          = local.tags
  }

  tags = local.tags
}

resource "aws_eks_node_group" "pool" {
  for_each = local.node_pools

  cluster_name    = aws_eks_cluster.this.name
  node_group_name = each.key
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.subnet_ids
  instance_types  = each.value.instance_types
  capacity_type   = each.value.capacity_type
  ami_type        = each.value.ami_type

  launch_template {
    id      = aws_launch_template.pool[each.key].id
    version = aws_launch_template.pool[each.key].latest_version
  }

  # EKS tags the Auto Scaling group for cluster-autoscaler / Karpenter discovery; the scaling
  # range is the only thing the autoscaler may change, hence ignore_changes on desired_size.
  scaling_config {
    min_size     = each.value.min_size
    max_size     = each.value.max_size
    desired_size = each.value.desired_size
  }

  update_config {
    max_unavailable = 1
  }

  labels = {
    "ml-infra.io/pool"        = each.key
    "ml-infra.io/accelerated" = tostring(each.value.accelerated)
    "ml-infra.io/capacity"    = lower(each.value.capacity_type)
  }

  dynamic "taint" {
    for_each = each.value.accelerated ? [1] : []
    content {
      key    = var.accelerator_taint_key
      value  = "true"
      effect = "NO_SCHEDULE"
    }
  }

  tags = local.tags

  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }

  depends_on = [aws_iam_role_policy_attachment.node, aws_iam_role_policy.node_observability]
}

resource "aws_eks_addon" "this" {
  for_each = toset(var.addons)

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.value
  resolve_conflicts_on_update = "OVERWRITE"
  tags                        = local.tags

  depends_on = [aws_eks_node_group.pool, aws_cloudwatch_log_group.container_insights]
}

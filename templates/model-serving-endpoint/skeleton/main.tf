locals {
  endpoint_name = "${var.name}-${var.environment}"
  variant_name  = "primary"

  # Secrets reach the container by reference: the environment holds ARNs, never values.
  container_environment = merge(
    var.container_environment,
    { for name, arn in var.secret_arns : "${upper(name)}_SECRET_ARN" => arn },
  )

  kms_service_linked_role_arns = []

  # SageMaker refuses a KMS key for the ML storage volume of instance types with local NVMe
  # instance storage (AWS encrypts that storage at rest with a hardware key instead), so the
  # endpoint configuration only names the key for instance types without it.
  instance_family = split(".", var.instance_type)[1]
  instance_has_local_storage = contains([
    "g4dn", "g5", "g6", "g6e", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en", "trn1", "trn1n", "trn2",
  ], local.instance_family) || can(regex("^[a-z]+[0-9]+[a-z]*d$", local.instance_family))

  # Models are immutable: a change replaces the model, created before the old one is destroyed,
  # so its name carries a digest of what it serves.
  model_name = "${substr(local.endpoint_name, 0, 54)}-${substr(sha1(jsonencode([var.container_image, var.model_data_url, local.container_environment, var.network_isolation, var.subnet_ids])), 0, 8)}"
}

module "data_capture_bucket" {
  source = "./modules/secure-bucket"

  bucket                             = "${substr(local.endpoint_name, 0, 30)}-${data.aws_caller_identity.current.account_id}-capture"
  kms_key_arn                        = aws_kms_key.this.arn
  noncurrent_version_expiration_days = 30
  transitions                        = [{ days = 30, storage_class = "STANDARD_IA" }]
  logging_bucket                     = var.access_log_bucket
  force_destroy                      = var.force_destroy
  tags                               = local.tags
}

resource "aws_security_group" "model" {
  name_prefix = "${local.endpoint_name}-model-"
  description = "Model containers of ${local.endpoint_name}: no inbound traffic, outbound only inside the VPC."
  vpc_id      = var.vpc_id
  tags        = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

# The endpoint reads its model from S3 and its image from ECR: HTTPS to interface endpoints in
# the VPC (ECR, CloudWatch Logs, STS), to S3 (the AWS-managed S3 prefix list, reached through a
# gateway endpoint or NAT), and to egress_cidr_blocks when the VPC reaches AWS through NAT.
resource "aws_vpc_security_group_egress_rule" "model_https" {
  security_group_id = aws_security_group.model.id
  description       = "HTTPS to VPC interface endpoints"
  cidr_ipv4         = data.aws_vpc.this.cidr_block
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  tags              = local.tags
}

resource "aws_vpc_security_group_egress_rule" "model_s3" {
  security_group_id = aws_security_group.model.id
  description       = "HTTPS to S3 (model artifacts, image layers, data capture)"
  prefix_list_id    = data.aws_ec2_managed_prefix_list.s3.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  tags              = local.tags
}

resource "aws_vpc_security_group_egress_rule" "model_https_nat" {
  for_each = toset(var.egress_cidr_blocks)

  security_group_id = aws_security_group.model.id
  description       = "HTTPS to AWS APIs through NAT"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  tags              = local.tags
}

data "aws_vpc" "this" {
  id = var.vpc_id
}

data "aws_ec2_managed_prefix_list" "s3" {
  name = "com.amazonaws.${data.aws_region.current.name}.s3"
}

resource "aws_sagemaker_model" "this" {
  name                     = local.model_name
  execution_role_arn       = aws_iam_role.execution.arn
  enable_network_isolation = var.network_isolation

  primary_container {
    image          = var.container_image
    model_data_url = var.model_data_url
    environment    = local.container_environment
  }

  vpc_config {
    subnets            = var.subnet_ids
    security_group_ids = [aws_security_group.model.id]
  }

  tags = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint_configuration" "this" {
  name_prefix = "${substr(local.endpoint_name, 0, 30)}-"
  kms_key_arn = local.instance_has_local_storage ? null : aws_kms_key.this.arn

  production_variants {
    variant_name           = local.variant_name
    model_name             = aws_sagemaker_model.this.name
    instance_type          = var.instance_type
    initial_instance_count = var.min_instance_count
  }

  data_capture_config {
    enable_capture              = var.data_capture_percentage > 0
    initial_sampling_percentage = var.data_capture_percentage
    destination_s3_uri          = "s3://${module.data_capture_bucket.id}/data-capture"
    kms_key_id                  = aws_kms_key.this.arn

    capture_options {
      capture_mode = "Input"
    }

    capture_options {
      capture_mode = "Output"
    }
  }

  tags = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint" "this" {
  name                 = local.endpoint_name
  endpoint_config_name = aws_sagemaker_endpoint_configuration.this.name
  tags                 = local.tags

  depends_on = [aws_cloudwatch_log_group.endpoint]
}

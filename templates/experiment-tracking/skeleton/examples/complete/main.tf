data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

locals {
  tags = module.tracking.tags
}

resource "aws_security_group" "tracking_server" {
  name_prefix = "${var.name}-server-"
  description = "MLflow tracking server of the example"
  vpc_id      = data.aws_vpc.default.id
  tags        = local.tags
}

module "tracking" {
  source = "../../"

  name                      = var.name
  environment               = "${{ values.environments[0] }}"
  vpc_id                    = data.aws_vpc.default.id
  subnet_ids                = data.aws_subnets.default.ids
  client_security_group_ids = [aws_security_group.tracking_server.id]
  allocated_storage_gb      = 100
  backup_retention_days     = 30
  multi_az                  = true
  deletion_protection       = false
  tags                      = { "example" = "complete" }
  force_destroy             = true
}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

module "tracking" {
  source = "../../"

  name                = var.name
  environment         = "${{ values.environments[0] }}"
  vpc_id              = data.aws_vpc.default.id
  subnet_ids          = data.aws_subnets.default.ids
  multi_az            = false
  deletion_protection = false
  force_destroy       = true
}

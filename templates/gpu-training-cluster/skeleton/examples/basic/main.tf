data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

module "cluster" {
  source = "../../"

  name        = var.name
  environment = "${{ values.environments[0] }}"
  subnet_ids  = data.aws_subnets.default.ids
}

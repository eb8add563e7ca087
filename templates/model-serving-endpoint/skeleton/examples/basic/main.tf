data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

module "endpoint" {
  source = "../../"

  name            = var.name
  environment     = "${{ values.environments[0] }}"
  vpc_id          = data.aws_vpc.default.id
  subnet_ids      = data.aws_subnets.default.ids
  container_image = "763104351884.dkr.ecr.${var.region}.amazonaws.com/pytorch-inference:2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker"
  model_data_url  = "s3://${var.name}-models/model.tar.gz"
  force_destroy   = true
}

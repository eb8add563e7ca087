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

  name                            = var.name
  environment                     = "${{ values.environments[0] }}"
  vpc_id                          = data.aws_vpc.default.id
  subnet_ids                      = data.aws_subnets.default.ids
  container_image                 = "763104351884.dkr.ecr.${var.region}.amazonaws.com/pytorch-inference:2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker"
  model_data_url                  = "s3://${var.name}-models/model.tar.gz"
  min_instance_count              = 2
  max_instance_count              = 6
  target_invocations_per_instance = 200
  data_capture_percentage         = 50
  latency_alarm_ms                = 250
  container_environment           = { "MODEL_SERVER_WORKERS" = "2" }
  tags                            = { "example" = "complete" }
  force_destroy                   = true
}

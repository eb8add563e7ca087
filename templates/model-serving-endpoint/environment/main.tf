# The ${{ values.environment }} instance of ${{ values.name }}. The promote workflow changes the
# pinned version (?ref=vX.Y.Z) by pull request; merging applies it.

data "aws_vpc" "this" {
  tags = { "ml-infra.io/environment" = "${{ values.environment }}" }
}

data "aws_subnets" "private" {
  filter {
    name   = "tag:ml-infra.io/tier"
    values = ["private"]
  }

  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.this.id]
  }
}

variable "container_image" {
  description = "Inference image served in ${{ values.environment }}."
  type        = string
  default     = "763104351884.dkr.ecr.${{ values.region }}.amazonaws.com/pytorch-inference:2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker"
}

variable "model_data_url" {
  description = "Model artifact served in ${{ values.environment }}."
  type        = string
  default     = "s3://${{ values.name }}-models/${{ values.environment }}/model.tar.gz"
}

module "model_serving_endpoint" {
  source = "git::${{ values.moduleSource }}?ref=v0.1.0"

  name            = "${{ values.name }}"
  environment     = "${{ values.environment }}"
  vpc_id          = data.aws_vpc.this.id
  subnet_ids      = data.aws_subnets.private.ids
  container_image = var.container_image
  model_data_url  = var.model_data_url
}

output "endpoint_name" {
  description = "Name of the endpoint in ${{ values.environment }}."
  value       = module.model_serving_endpoint.endpoint_name
}

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

module "experiment_tracking" {
  source = "git::${{ values.moduleSource }}?ref=v0.1.0"

  name        = "${{ values.name }}"
  environment = "${{ values.environment }}"
  vpc_id      = data.aws_vpc.this.id
  subnet_ids  = data.aws_subnets.private.ids
}

output "backend_store_uri" {
  description = "MLflow backend store URI in ${{ values.environment }} (no credentials)."
  value       = module.experiment_tracking.backend_store_uri
}

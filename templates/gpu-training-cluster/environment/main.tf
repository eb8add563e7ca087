# The ${{ values.environment }} instance of ${{ values.name }}. The promote workflow changes the
# pinned version (?ref=vX.Y.Z) by pull request; merging applies it.

data "aws_subnets" "private" {
  filter {
    name   = "tag:ml-infra.io/tier"
    values = ["private"]
  }
}

module "gpu_training_cluster" {
  source = "git::${{ values.moduleSource }}?ref=v0.1.0"

  name        = "${{ values.name }}"
  environment = "${{ values.environment }}"
  subnet_ids  = data.aws_subnets.private.ids
}

output "cluster_name" {
  description = "Name of the EKS cluster in ${{ values.environment }}."
  value       = module.gpu_training_cluster.cluster_name
}

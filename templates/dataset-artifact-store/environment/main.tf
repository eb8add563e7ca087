# The ${{ values.environment }} instance of ${{ values.name }}. The promote workflow changes the
# pinned version (?ref=vX.Y.Z) by pull request; merging applies it.

module "dataset_artifact_store" {
  source = "git::${{ values.moduleSource }}?ref=v0.1.0"

  name        = "${{ values.name }}"
  environment = "${{ values.environment }}"
}

output "dataset_bucket" {
  description = "Bucket of the training datasets in ${{ values.environment }}."
  value       = module.dataset_artifact_store.dataset_bucket
}

# The ${{ values.environment }} instance of ${{ values.name }}. The promote workflow changes the
# pinned version (?ref=vX.Y.Z) by pull request; merging applies it.

module "feature_store" {
  source = "git::${{ values.moduleSource }}?ref=v0.1.0"

  name        = "${{ values.name }}"
  environment = "${{ values.environment }}"
}

output "feature_group_name" {
  description = "Name of the feature group in ${{ values.environment }}."
  value       = module.feature_store.feature_group_name
}

module "feature_store" {
  source = "../../"

  name          = var.name
  environment   = "${{ values.environments[0] }}"
  force_destroy = true
}

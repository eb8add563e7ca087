module "store" {
  source = "../../"

  name                                        = var.name
  environment                                 = "${{ values.environments[0] }}"
  dataset_noncurrent_version_expiration_days  = 90
  artifact_noncurrent_version_expiration_days = 730
  client_error_alarm_threshold                = 50
  tags                                        = { "example" = "complete" }
  force_destroy                               = true

  dataset_transitions = [
    { days = 30, storage_class = "STANDARD_IA" },
    { days = 90, storage_class = "GLACIER_IR" },
    { days = 365, storage_class = "DEEP_ARCHIVE" },
  ]
}

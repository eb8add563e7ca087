module "feature_store" {
  source = "../../"

  name                           = var.name
  environment                    = "${{ values.environments[0] }}"
  description                    = "Customer features for churn models"
  record_identifier_feature_name = "customer_id"
  event_time_feature_name        = "event_time"
  online_ttl_days                = 30
  read_latency_alarm_ms          = 20
  tags                           = { "example" = "complete" }
  force_destroy                  = true

  features = [
    { name = "customer_id", type = "String" },
    { name = "event_time", type = "String" },
    { name = "orders_30d", type = "Integral" },
    { name = "spend_30d", type = "Fractional" },
    { name = "segment", type = "String" },
  ]
}

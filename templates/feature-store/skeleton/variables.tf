variable "description" {
  description = "Description of the feature group (at most 128 characters)."
  type        = string
  default     = "Features managed by the ${{ values.name }} module."

  validation {
    condition     = length(var.description) <= 128
    error_message = "description must be at most 128 characters (SageMaker feature group limit)."
  }
}

variable "record_identifier_feature_name" {
  description = "Feature that identifies a record (the entity key)."
  type        = string
  default     = "entity_id"
}

variable "event_time_feature_name" {
  description = "Feature holding the event time of a record."
  type        = string
  default     = "event_time"
}

variable "features" {
  description = "Feature definitions. Must include the record identifier and event time features."
  type = list(object({
    name = string
    type = string
  }))
  default = [
    { name = "entity_id", type = "String" },
    { name = "event_time", type = "String" },
  ]

  validation {
    condition     = alltrue([for f in var.features : contains(["String", "Integral", "Fractional"], f.type)])
    error_message = "features[*].type must be String, Integral or Fractional."
  }

  validation {
    condition     = length(var.features) == length(distinct([for f in var.features : f.name]))
    error_message = "features must have unique names."
  }

  validation {
    condition     = length(var.features) <= 2500 && alltrue([for f in var.features : can(regex("^[a-zA-Z0-9]([-_]*[a-zA-Z0-9]){0,63}$", f.name)) && !contains(["is_deleted", "write_time", "api_invocation_time"], lower(f.name))])
    error_message = "features: at most 2500, names of up to 64 letters, digits, '-' or '_' (not is_deleted, write_time or api_invocation_time, which SageMaker reserves)."
  }
}

variable "online_store_enabled" {
  description = "Serve the latest value of each record with low latency."
  type        = bool
  default     = true
}

variable "online_ttl_days" {
  description = "Days after which online store records expire (null keeps them)."
  type        = number
  default     = null

  validation {
    condition     = var.online_ttl_days == null || try(var.online_ttl_days >= 1 && floor(var.online_ttl_days) == var.online_ttl_days, false)
    error_message = "online_ttl_days must be a whole number of days, at least 1."
  }
}

variable "offline_noncurrent_version_expiration_days" {
  description = "Days non-current objects of the offline store are kept."
  type        = number
  default     = 180
}

variable "read_latency_alarm_ms" {
  description = "p99 online read latency in milliseconds above which the latency alarm fires."
  type        = number
  default     = 50
}

variable "access_log_bucket" {
  description = "Existing bucket receiving S3 server access logs of the offline store (null disables them)."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Allow destroying the offline store bucket while it holds objects (tests only)."
  type        = bool
  default     = false
}

variable "dataset_transitions" {
  description = "Storage class transitions of current dataset objects."
  type = list(object({
    days          = number
    storage_class = string
  }))
  default = [
    { days = 30, storage_class = "STANDARD_IA" },
    { days = 180, storage_class = "GLACIER_IR" },
  ]
}

variable "dataset_noncurrent_version_expiration_days" {
  description = "Days non-current dataset versions are kept (0 keeps them forever)."
  type        = number
  default     = 180
}

variable "artifact_transitions" {
  description = "Storage class transitions of current model artifacts."
  type = list(object({
    days          = number
    storage_class = string
  }))
  default = [{ days = 90, storage_class = "INTELLIGENT_TIERING" }]
}

variable "artifact_noncurrent_version_expiration_days" {
  description = "Days non-current model artifact versions are kept (0 keeps them forever)."
  type        = number
  default     = 365
}

variable "client_error_alarm_threshold" {
  description = "4xx responses per 5 minutes above which the access alarm fires."
  type        = number
  default     = 100
}

variable "access_log_bucket" {
  description = "Existing bucket receiving S3 server access logs of both buckets; null creates a log bucket in the module (access logging is always on)."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Allow destroying the buckets while they hold objects (tests only)."
  type        = bool
  default     = false
}

variable "bucket" {
  description = "Name of the bucket (globally unique)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket))
    error_message = "bucket must be a valid S3 bucket name."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the objects."
  type        = string
}

variable "versioning" {
  description = "Keep every version of every object."
  type        = bool
  default     = true
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which non-current object versions are deleted (0 keeps them forever)."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 0
    error_message = "noncurrent_version_expiration_days must not be negative."
  }
}

variable "transitions" {
  description = "Storage class transitions of current objects, e.g. [{ days = 30, storage_class = \"STANDARD_IA\" }]."
  type = list(object({
    days          = number
    storage_class = string
  }))
  default = []

  validation {
    condition     = alltrue([for t in var.transitions : contains(["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"], t.storage_class)])
    error_message = "transitions[*].storage_class must be an S3 storage class."
  }
}

variable "logging_bucket" {
  description = "Bucket receiving the server access logs of this bucket; null disables access logging (only for log buckets themselves)."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Allow destroying the bucket while it holds objects (tests only)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags of the bucket."
  type        = map(string)
}

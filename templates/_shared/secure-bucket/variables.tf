variable "bucket" {
  description = "Name of the bucket (globally unique)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket)) && !startswith(var.bucket, "xn--") && !startswith(var.bucket, "sthree-") && !endswith(var.bucket, "-s3alias") && !endswith(var.bucket, "--ol-s3") && !strcontains(var.bucket, "..")
    error_message = "bucket must be a valid S3 bucket name: 3-63 lowercase letters, digits, '.' and '-', no 'xn--'/'sthree-' prefix, no '-s3alias'/'--ol-s3' suffix, no '..'."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the objects (null only for an access_log_target bucket)."
  type        = string
  default     = null
}

variable "access_log_target" {
  description = "The bucket receives S3 server access logs: SSE-S3 encryption (S3 log delivery cannot use SSE-KMS) and log delivery allowed from this account."
  type        = bool
  default     = false
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
    condition     = var.noncurrent_version_expiration_days >= 0 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of days, not negative."
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

  validation {
    condition     = alltrue([for t in var.transitions : t.days >= 30 if contains(["STANDARD_IA", "ONEZONE_IA"], t.storage_class)])
    error_message = "S3 moves objects to STANDARD_IA or ONEZONE_IA no earlier than 30 days after creation."
  }

  validation {
    condition = alltrue(flatten([
      for t in var.transitions : [
        for u in var.transitions : u.days >= t.days + 30 if u.days > t.days
      ] if contains(["STANDARD_IA", "ONEZONE_IA"], t.storage_class)
    ]))
    error_message = "Objects must stay 30 days in STANDARD_IA or ONEZONE_IA before S3 moves them on: a later transition needs at least 30 more days."
  }

  validation {
    condition     = alltrue([for t in var.transitions : t.days >= 0 && floor(t.days) == t.days]) && length(distinct([for t in var.transitions : t.days])) == length(var.transitions)
    error_message = "transitions[*].days must be distinct whole numbers of days."
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

variable "vpc_id" {
  description = "VPC of the database."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the database (two availability zones at least)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs at least two subnets in different availability zones."
  }
}

variable "client_security_group_ids" {
  description = "Security groups of the MLflow tracking server, the only clients allowed to reach the database."
  type        = list(string)
  default     = []
}

variable "postgres_version" {
  description = "PostgreSQL major version (RDS picks its current default minor version and upgrades minors automatically), or major.minor to pin one."
  type        = string
  default     = "16"

  validation {
    condition     = can(regex("^[0-9]{2}(\\.[0-9]+)?$", var.postgres_version)) && try(tonumber(split(".", var.postgres_version)[0]) >= 14, false)
    error_message = "postgres_version must be 14 or newer, as a major version (16) or major.minor (16.8): older majors are past RDS standard support."
  }
}

variable "instance_class" {
  description = "RDS instance class of the database."
  type        = string
  default     = "db.m6i.large"

  validation {
    condition     = can(regex("^db\\.", var.instance_class)) && contains(${{ values.allowedInstanceFamilies | dump | replace('","', '", "') }}, split(".", var.instance_class)[1])
    error_message = "instance_class must be db.<family>.<size> of a family the guardrails allow: ${{ values.allowedInstanceFamilies | join(", ") }}."
  }
}

variable "allocated_storage_gb" {
  description = "Initial storage of the database in GiB (autoscaling up to four times this)."
  type        = number
  default     = 50

  validation {
    condition     = var.allocated_storage_gb >= 20 && var.allocated_storage_gb <= 16384
    error_message = "allocated_storage_gb must be between 20 and 16384: RDS gp3 allows 20-65536 GiB and storage autoscaling goes to four times this."
  }
}

variable "multi_az" {
  description = "Run a standby in a second availability zone."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Days automated backups are kept."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_days >= 7 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 7 and 35 (RDS allows at most 35)."
  }
}

variable "deletion_protection" {
  description = "Protect the database from deletion (turn off only for tests)."
  type        = bool
  default     = true
}

variable "artifact_noncurrent_version_expiration_days" {
  description = "Days non-current artifact versions are kept."
  type        = number
  default     = 90
}

variable "access_log_bucket" {
  description = "Existing bucket receiving S3 server access logs of the artifact bucket (null disables them)."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Allow destroying the artifact bucket while it holds objects (tests only)."
  type        = bool
  default     = false
}

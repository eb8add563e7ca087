variable "vpc_id" {
  description = "VPC the model containers run in."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the model containers."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs at least two subnets in different availability zones."
  }
}

variable "container_image" {
  description = "Inference container image (ECR URI)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/.+", var.container_image))
    error_message = "container_image must be an ECR image URI."
  }
}

variable "model_data_url" {
  description = "S3 URL of the model artifact (model.tar.gz)."
  type        = string

  validation {
    condition     = can(regex("^s3://[a-z0-9.-]+/.+", var.model_data_url))
    error_message = "model_data_url must look like s3://bucket/path/model.tar.gz."
  }
}

variable "instance_type" {
  description = "SageMaker instance type of the endpoint."
  type        = string
  default     = "ml.${{ values.defaultInstanceType }}"

  validation {
    condition     = can(regex("^ml\\.", var.instance_type)) && contains(${{ values.instanceFamilies | dump | replace('","', '", "') }}, split(".", var.instance_type)[1])
    error_message = "instance_type must be ml.<family>.<size> of the ${{ values.acceleratorType }} families: ${{ values.instanceFamilies | join(", ") }}."
  }
}

variable "min_instance_count" {
  description = "Instances the endpoint never scales below."
  type        = number
  default     = 1

  validation {
    condition     = var.min_instance_count >= 1 && floor(var.min_instance_count) == var.min_instance_count
    error_message = "min_instance_count must be a whole number of at least 1."
  }
}

variable "max_instance_count" {
  description = "Instances the endpoint never scales above (at least min_instance_count)."
  type        = number
  default     = 4

  validation {
    condition     = var.max_instance_count >= 1 && floor(var.max_instance_count) == var.max_instance_count
    error_message = "max_instance_count must be a whole number of at least 1."
  }
}

variable "target_invocations_per_instance" {
  description = "Invocations per instance per minute autoscaling aims for."
  type        = number
  default     = 100

  validation {
    condition     = var.target_invocations_per_instance > 0
    error_message = "target_invocations_per_instance must be positive."
  }
}

variable "egress_cidr_blocks" {
  description = "Extra HTTPS egress for the model containers, e.g. [\"0.0.0.0/0\"] when the VPC reaches ECR and CloudWatch through NAT instead of interface endpoints."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.egress_cidr_blocks : can(cidrhost(c, 0))])
    error_message = "egress_cidr_blocks must be IPv4 CIDR blocks."
  }
}

variable "container_environment" {
  description = "Non-secret environment variables of the container. Secrets go in secret_arns."
  type        = map(string)
  default     = {}

  validation {
    condition     = !anytrue([for k in keys(var.container_environment) : can(regex("(?i)(secret|password|token|credential|api_?key)", k))])
    error_message = "container_environment must not carry secrets; pass their Secrets Manager ARNs in secret_arns."
  }
}

variable "secret_arns" {
  description = "Secrets the container reads at runtime, by name => Secrets Manager ARN. The container gets <NAME>_SECRET_ARN, never the value."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.secret_arns) : can(regex("^arn:aws[a-z-]*:secretsmanager:", arn))])
    error_message = "secret_arns values must be Secrets Manager ARNs."
  }
}

variable "network_isolation" {
  description = "Run the model container without network access (turn off only when it must read secrets_arns)."
  type        = bool
  default     = true
}

variable "data_capture_percentage" {
  description = "Share of requests and responses captured for model monitoring (0 disables)."
  type        = number
  default     = 20

  validation {
    condition     = var.data_capture_percentage >= 0 && var.data_capture_percentage <= 100
    error_message = "data_capture_percentage must be between 0 and 100."
  }
}

variable "latency_alarm_ms" {
  description = "p90 model latency in milliseconds above which the latency alarm fires."
  type        = number
  default     = 500

  validation {
    condition     = var.latency_alarm_ms > 0
    error_message = "latency_alarm_ms must be positive."
  }
}

variable "access_log_bucket" {
  description = "Existing bucket receiving S3 server access logs of the data capture bucket (null disables them)."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Allow destroying the data capture bucket while it holds objects (tests only)."
  type        = bool
  default     = false
}

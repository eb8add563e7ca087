variable "subnet_ids" {
  description = "Private subnets (at least two availability zones) for the control plane and the node pools."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs at least two subnets in different availability zones."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes version of the EKS control plane (1.33 or newer: older versions are out of EKS standard support)."
  type        = string
  default     = "1.33"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version)) && try(tonumber(split(".", var.kubernetes_version)[1]) >= 33, false)
    error_message = "kubernetes_version must be 1.33 or newer, written like 1.33: older versions are past the end of EKS standard support."
  }
}

variable "support_type" {
  description = "EKS version support policy: STANDARD, or EXTENDED to keep a version past standard support (billed extra)."
  type        = string
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "EXTENDED"], var.support_type)
    error_message = "support_type must be STANDARD or EXTENDED."
  }
}

variable "cluster_admin_principal_arns" {
  description = "IAM roles or users granted cluster admin through EKS access entries (the creator of the cluster gets no permanent access)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.cluster_admin_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/.+", arn))])
    error_message = "cluster_admin_principal_arns must be IAM role or user ARNs."
  }
}

variable "cluster_log_types" {
  description = "Control plane log types sent to CloudWatch Logs."
  type        = list(string)
  default     = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  validation {
    condition     = contains(var.cluster_log_types, "audit")
    error_message = "cluster_log_types must include audit."
  }
}

variable "system_node_pool" {
  description = "On-demand pool for cluster services (CoreDNS, controllers, observability agents)."
  type = object({
    instance_types = list(string)
    min_size       = number
    max_size       = number
    desired_size   = number
  })
  default = {
    instance_types = ["m6i.large"]
    min_size       = 2
    max_size       = 4
    desired_size   = 2
  }

  validation {
    condition     = var.system_node_pool.min_size >= 1 && var.system_node_pool.min_size <= var.system_node_pool.desired_size && var.system_node_pool.desired_size <= var.system_node_pool.max_size
    error_message = "system_node_pool needs 1 <= min_size <= desired_size <= max_size."
  }
}

variable "training_node_pools" {
  description = "Accelerated node pools for training jobs. Spot capacity by default: training jobs checkpoint and resume."
  type = map(object({
    instance_types = list(string)
    capacity_type  = optional(string, "SPOT")
    min_size       = optional(number, 0)
    max_size       = optional(number, 8)
    desired_size   = optional(number, 0)
    disk_size_gb   = optional(number, 500)
  }))
  default = {
    training = {
      instance_types = ["${{ values.defaultInstanceType }}"]
    }
  }

  validation {
    condition = alltrue(flatten([
      for pool in values(var.training_node_pools) : [
        for t in pool.instance_types : contains(${{ values.instanceFamilies | dump | replace('","', '", "') }}, split(".", t)[0])
      ]
    ]))
    error_message = "training_node_pools may only use the ${{ values.acceleratorType }} instance families: ${{ values.instanceFamilies | join(", ") }}."
  }

  validation {
    condition     = alltrue([for pool in values(var.training_node_pools) : contains(["SPOT", "ON_DEMAND"], pool.capacity_type)])
    error_message = "capacity_type must be SPOT or ON_DEMAND."
  }

  validation {
    condition     = alltrue([for pool in values(var.training_node_pools) : pool.min_size >= 0 && pool.min_size <= pool.desired_size && pool.desired_size <= pool.max_size && pool.max_size >= 1])
    error_message = "Each pool needs 0 <= min_size <= desired_size <= max_size and max_size >= 1 (EKS managed node groups)."
  }

  validation {
    condition     = alltrue([for name in keys(var.training_node_pools) : can(regex("^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$", name)) && name != "system"])
    error_message = "training_node_pools keys name EKS node groups: up to 63 letters, digits, '-' or '_', and not 'system' (the system pool)."
  }

  validation {
    condition     = alltrue([for pool in values(var.training_node_pools) : pool.disk_size_gb >= 20 && pool.disk_size_gb <= 16384])
    error_message = "disk_size_gb must be between 20 and 16384 (gp3 volume size)."
  }
}

variable "accelerated_ami_type" {
  description = "EKS AMI type of the training pools (drivers for the accelerator)."
  type        = string
  default     = "${{ values.amiType }}"

  validation {
    condition     = contains(["AL2023_x86_64_NVIDIA", "AL2023_x86_64_NEURON", "AL2023_x86_64_STANDARD", "BOTTLEROCKET_x86_64_NVIDIA"], var.accelerated_ami_type)
    error_message = "accelerated_ami_type must be an accelerated EKS AMI type."
  }
}

variable "accelerator_taint_key" {
  description = "Taint that keeps non-training pods off the accelerated nodes."
  type        = string
  default     = "${{ values.taintKey }}"
}

variable "addons" {
  description = "EKS add-ons installed on the cluster."
  type        = list(string)
  default     = ["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent", "amazon-cloudwatch-observability"]
}

variable "idle_accelerator_alarm_hours" {
  description = "Hours of accelerator utilization under 10% before the idle alarm fires."
  type        = number
  default     = 6

  validation {
    condition     = var.idle_accelerator_alarm_hours >= 1 && var.idle_accelerator_alarm_hours <= 24 && floor(var.idle_accelerator_alarm_hours) == var.idle_accelerator_alarm_hours
    error_message = "idle_accelerator_alarm_hours must be a whole number from 1 to 24 (CloudWatch evaluates at most one day of hourly periods)."
  }
}

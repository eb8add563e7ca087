variable "subnet_ids" {
  description = "Private subnets (at least two availability zones) for the control plane and the node pools."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs at least two subnets in different availability zones."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes version of the EKS control plane."
  type        = string
  default     = "1.31"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must look like 1.31."
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
        for t in pool.instance_types : contains(${{ values.instanceFamilies | dump }}, split(".", t)[0])
      ]
    ]))
    error_message = "training_node_pools may only use the ${{ values.acceleratorType }} instance families: ${{ values.instanceFamilies | join(", ") }}."
  }

  validation {
    condition     = alltrue([for pool in values(var.training_node_pools) : contains(["SPOT", "ON_DEMAND"], pool.capacity_type)])
    error_message = "capacity_type must be SPOT or ON_DEMAND."
  }

  validation {
    condition     = alltrue([for pool in values(var.training_node_pools) : pool.min_size <= pool.desired_size && pool.desired_size <= pool.max_size])
    error_message = "Each pool needs min_size <= desired_size <= max_size."
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
}

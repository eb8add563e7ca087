data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

module "cluster" {
  source = "../../"

  name                = var.name
  environment         = "${{ values.environments[0] }}"
  subnet_ids          = data.aws_subnets.default.ids
  kubernetes_version  = "1.33"
  cost_center         = "${{ values.costCenter }}"
  data_classification = "${{ values.dataClassification }}"
  alarm_actions       = var.alarm_actions
  tags                = { "example" = "complete" }

  system_node_pool = {
    instance_types = ["m6i.large"]
    min_size       = 2
    max_size       = 3
    desired_size   = 2
  }

  training_node_pools = {
    spot = {
      instance_types = ["${{ values.defaultInstanceType }}"]
      capacity_type  = "SPOT"
      max_size       = 16
    }
    reserved = {
      instance_types = ["${{ values.defaultInstanceType }}"]
      capacity_type  = "ON_DEMAND"
      min_size       = 1
      desired_size   = 1
      max_size       = 2
    }
  }
}

variable "alarm_actions" {
  description = "SNS topics notified by the cluster's alarms."
  type        = list(string)
  default     = []
}

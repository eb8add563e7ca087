terraform {
  required_version = ">= 1.6.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }

  # Partial configuration: CI passes the state bucket with -backend-config="bucket=...".
  backend "s3" {
    key     = "${{ values.name }}/${{ values.environment }}/terraform.tfstate"
    encrypt = true
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  description = "Region of the ${{ values.environment }} environment."
  type        = string
  default     = "${{ values.region }}"
}

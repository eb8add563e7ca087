terraform {
  # 1.10: S3-native state locking (use_lockfile), no DynamoDB table needed.
  required_version = ">= 1.10.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }

  # Partial configuration: CI passes the state bucket and the customer-managed key that encrypts
  # the state with -backend-config="bucket=..." -backend-config="kms_key_id=...". The lock is a
  # lock file next to the state, so two applies of one environment never run at once.
  backend "s3" {
    key          = "${{ values.name }}/${{ values.environment }}/terraform.tfstate"
    encrypt      = true
    use_lockfile = true
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

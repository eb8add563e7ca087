mock_provider "aws" {
  source = "./tests/aws"
}

# The longest name the module accepts (48 characters) with its longest environment: every name
# derived from them (IAM prefixes, buckets, log groups, SageMaker, RDS, EKS) must fit its AWS limit.
run "longest_names" {
  command = plan

  variables {
    name        = "n${join("", [for i in range(46) : "x"])}9"
    environment = [for e in ${{ values.environments | dump | replace('","', '", "') }} : e if length(e) == max([for x in ${{ values.environments | dump | replace('","', '", "') }} : length(x)]...)][0]
    subnet_ids  = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  }
}

run "rejects_kubernetes_out_of_standard_support" {
  command = plan

  variables {
    name               = "limits"
    environment        = "${{ values.environments[0] }}"
    subnet_ids         = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
    kubernetes_version = "1.31"
  }

  expect_failures = [var.kubernetes_version]
}

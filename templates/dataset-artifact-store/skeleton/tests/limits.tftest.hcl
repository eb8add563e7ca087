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
  }

  assert {
    condition     = endswith(output.access_log_bucket, "-access-logs") && length(output.access_log_bucket) <= 63
    error_message = "Access logging must be on by default, into a log bucket of the module with a valid name."
  }
}

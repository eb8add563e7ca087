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
}

run "rejects_features_without_event_time" {
  command = plan

  variables {
    name        = "limits"
    environment = "${{ values.environments[0] }}"
    features    = [{ name = "entity_id", type = "String" }]
  }

  expect_failures = [aws_sagemaker_feature_group.this]
}

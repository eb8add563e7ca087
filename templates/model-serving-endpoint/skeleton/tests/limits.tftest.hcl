mock_provider "aws" {
  source = "./tests/aws"
}

# The longest name the module accepts (48 characters) with its longest environment: every name
# derived from them (IAM prefixes, buckets, log groups, SageMaker, RDS, EKS) must fit its AWS limit.
run "longest_names" {
  command = plan

  variables {
    name            = "n${join("", [for i in range(46) : "x"])}9"
    environment     = [for e in ${{ values.environments | dump | replace('","', '", "') }} : e if length(e) == max([for x in ${{ values.environments | dump | replace('","', '", "') }} : length(x)]...)][0]
    vpc_id          = "vpc-0123456789abcdef0"
    subnet_ids      = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
    container_image = "763104351884.dkr.ecr.${{ values.region }}.amazonaws.com/pytorch-inference:2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker"
    model_data_url  = "s3://limits-models/model.tar.gz"
  }
}

run "rejects_max_instances_below_min" {
  command = plan

  variables {
    name               = "limits"
    environment        = "${{ values.environments[0] }}"
    vpc_id             = "vpc-0123456789abcdef0"
    subnet_ids         = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
    container_image    = "763104351884.dkr.ecr.${{ values.region }}.amazonaws.com/pytorch-inference:2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker"
    model_data_url     = "s3://limits-models/model.tar.gz"
    min_instance_count = 3
    max_instance_count = 2
  }

  expect_failures = [aws_appautoscaling_target.this]
}

package ml_infra.encryption_test

import data.ml_infra.encryption
import rego.v1

change(resource_type, after) := {"address": sprintf("%s.this", [resource_type]), "mode": "managed", "type": resource_type, "change": {"actions": ["create"], "after": after, "after_unknown": {}}}

encrypted_bucket := [
	change("aws_s3_bucket", {"bucket": "b"}),
	change("aws_s3_bucket_server_side_encryption_configuration", {"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms", "kms_master_key_id": "arn:aws:kms:k"}]}]}),
]

test_kms_encrypted_bucket_passes if {
	count(encryption.deny) == 0 with input as {"resource_changes": encrypted_bucket}
}

test_aes256_bucket_fails if {
	results := encryption.deny with input as {"resource_changes": [
		change("aws_s3_bucket", {"bucket": "b"}),
		change("aws_s3_bucket_server_side_encryption_configuration", {"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256"}]}]}),
	]}
	some result in results
	result.control == "MLI-ENC-001"
	result.severity == "critical"
}

test_bucket_without_encryption_fails if {
	count(encryption.deny) == 1 with input as {"resource_changes": [change("aws_s3_bucket", {"bucket": "b"})]}
}

test_log_group_without_key_fails if {
	count(encryption.deny) == 1 with input as {"resource_changes": [change("aws_cloudwatch_log_group", {"kms_key_id": null})]}
}

test_key_known_after_apply_passes if {
	count(encryption.deny) == 0 with input as {"resource_changes": [{
		"address": "aws_cloudwatch_log_group.this",
		"mode": "managed",
		"type": "aws_cloudwatch_log_group",
		"change": {"actions": ["create"], "after": {"kms_key_id": null}, "after_unknown": {"kms_key_id": true}},
	}]}
}

test_unencrypted_database_fails if {
	count(encryption.deny) > 0 with input as {"resource_changes": [change("aws_db_instance", {"storage_encrypted": false, "kms_key_id": "k"})]}
}

test_aws_managed_key_fails if {
	results := encryption.deny with input as {"resource_changes": [
		change("aws_s3_bucket", {"bucket": "b"}),
		change("aws_s3_bucket_server_side_encryption_configuration", {"bucket": "b", "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms", "kms_master_key_id": null}]}]}),
	]}
	count(results) == 1
}

test_customer_key_known_after_apply_passes if {
	count(encryption.deny) == 0 with input as {"resource_changes": [
		change("aws_s3_bucket", {"bucket": "b"}),
		{
			"address": "aws_s3_bucket_server_side_encryption_configuration.this",
			"mode": "managed",
			"type": "aws_s3_bucket_server_side_encryption_configuration",
			"change": {
				"actions": ["create"],
				"after": {"bucket": "b", "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}]},
				"after_unknown": {"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": true}]}]},
			},
		},
	]}
}

test_access_log_bucket_may_use_sse_s3 if {
	count(encryption.deny) == 0 with input as {"resource_changes": [
		change("aws_s3_bucket", {"bucket": "logs", "tags": {"ml-infra.io/access-logs": "true"}}),
		change("aws_s3_bucket_server_side_encryption_configuration", {"bucket": "logs", "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256"}]}]}),
	]}
}

test_sse_s3_on_a_data_bucket_fails if {
	count(encryption.deny) == 1 with input as {"resource_changes": [
		change("aws_s3_bucket", {"bucket": "data"}),
		change("aws_s3_bucket_server_side_encryption_configuration", {"bucket": "data", "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256"}]}]}),
	]}
}

test_endpoint_on_local_nvme_needs_no_key if {
	count(encryption.deny) == 0 with input as {"resource_changes": [change("aws_sagemaker_endpoint_configuration", {"kms_key_arn": null, "production_variants": [{"instance_type": "ml.g5.2xlarge"}]})]}
}

test_endpoint_on_ebs_only_instance_needs_key if {
	count(encryption.deny) == 1 with input as {"resource_changes": [change("aws_sagemaker_endpoint_configuration", {"kms_key_arn": null, "production_variants": [{"instance_type": "ml.inf2.xlarge"}]})]}
}

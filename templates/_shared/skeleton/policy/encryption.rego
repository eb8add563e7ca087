# METADATA
# title: Encryption at rest with customer-managed keys
# description: Data, logs and model artifacts are encrypted with a customer-managed KMS key.
# custom:
#   control: MLI-ENC-001
#   severity: critical
package ml_infra.encryption

import data.ml_infra.lib
import rego.v1

__rego_metadata__ := {"id": "MLI-ENC-001", "title": "Encryption at rest with customer-managed keys", "severity": "critical"}

# Resource type => attribute that must name a KMS key.
kms_attributes := {
	"aws_cloudwatch_log_group": "kms_key_id",
	"aws_sagemaker_endpoint_configuration": "kms_key_arn",
	"aws_sns_topic": "kms_master_key_id",
	"aws_db_instance": "kms_key_id",
	"aws_ecr_repository": "encryption_configuration",
	"aws_eks_cluster": "encryption_config",
}

deny contains result if {
	some rc in lib.changed_resources
	attribute := kms_attributes[rc.type]
	not lib.has_value(rc, attribute)
	result := lib.result(__rego_metadata__, sprintf("%s has no customer-managed KMS key (%s)", [rc.address, attribute]))
}

deny contains result if {
	some rc in lib.resources_of_type("aws_s3_bucket_server_side_encryption_configuration")
	after := lib.after(rc)
	some rule in after.rule
	some sse in rule.apply_server_side_encryption_by_default
	not sse.sse_algorithm in {"aws:kms", "aws:kms:dsse"}
	result := lib.result(__rego_metadata__, sprintf("%s uses %s instead of aws:kms", [rc.address, sse.sse_algorithm]))
}

deny contains result if {
	buckets := count(lib.resources_of_type("aws_s3_bucket"))
	configs := count(lib.resources_of_type("aws_s3_bucket_server_side_encryption_configuration"))
	buckets > configs
	result := lib.result(__rego_metadata__, sprintf("%d S3 bucket(s) but only %d server-side encryption configuration(s)", [buckets, configs]))
}

deny contains result if {
	some rc in lib.resources_of_type("aws_db_instance")
	after := lib.after(rc)
	not after.storage_encrypted
	result := lib.result(__rego_metadata__, sprintf("%s does not encrypt its storage", [rc.address]))
}

deny contains result if {
	some rc in lib.resources_of_type("aws_launch_template")
	after := lib.after(rc)
	some mapping in after.block_device_mappings
	some ebs in mapping.ebs
	ebs.encrypted != "true"
	result := lib.result(__rego_metadata__, sprintf("%s has an unencrypted EBS volume", [rc.address]))
}

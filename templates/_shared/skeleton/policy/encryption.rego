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

# Instance families with local NVMe instance storage: SageMaker refuses a KMS key for their
# storage volume (AWS encrypts instance storage at rest with a hardware key).
local_storage_families := {"g4dn", "g5", "g6", "g6e", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en", "trn1", "trn1n", "trn2"}

local_storage_instance(instance_type) if {
	split(instance_type, ".")[1] in local_storage_families
}

local_storage_instance(instance_type) if {
	regex.match(`^[a-z]+[0-9]+[a-z]*d$`, split(instance_type, ".")[1])
}

exempt(rc) if {
	rc.type == "aws_sagemaker_endpoint_configuration"
	some variant in lib.after(rc).production_variants
	local_storage_instance(variant.instance_type)
}

deny contains result if {
	some rc in lib.changed_resources
	attribute := kms_attributes[rc.type]
	not exempt(rc)
	not lib.has_value(rc, attribute)
	result := lib.result(__rego_metadata__, sprintf("%s has no customer-managed KMS key (%s)", [rc.address, attribute]))
}

# Buckets that receive S3 server access logs: S3 log delivery only writes to SSE-S3 buckets.
access_log_buckets contains lib.after(rc).bucket if {
	some rc in lib.resources_of_type("aws_s3_bucket")
	lib.tags(rc)["ml-infra.io/access-logs"] == "true"
}

deny contains result if {
	some rc in lib.resources_of_type("aws_s3_bucket_server_side_encryption_configuration")
	after := lib.after(rc)
	not after.bucket in access_log_buckets
	some rule in after.rule
	some sse in rule.apply_server_side_encryption_by_default
	not sse.sse_algorithm in {"aws:kms", "aws:kms:dsse"}
	result := lib.result(__rego_metadata__, sprintf("%s uses %s instead of aws:kms", [rc.address, sse.sse_algorithm]))
}

# aws:kms without a key ID means the AWS-managed aws/s3 key: no key policy of ours, no rotation
# control, readable by every principal of the account that may read the bucket.
deny contains result if {
	some rc in lib.resources_of_type("aws_s3_bucket_server_side_encryption_configuration")
	after := lib.after(rc)
	some i, rule in after.rule
	some j, sse in rule.apply_server_side_encryption_by_default
	sse.sse_algorithm in {"aws:kms", "aws:kms:dsse"}
	object.get(sse, "kms_master_key_id", null) in {null, ""}
	not key_known_after_apply(rc, i, j)
	result := lib.result(__rego_metadata__, sprintf("%s uses aws:kms without a customer-managed key ID (kms_master_key_id)", [rc.address]))
}

key_known_after_apply(rc, i, j) if {
	unknown := object.get(rc.change, "after_unknown", {})
	unknown.rule[i].apply_server_side_encryption_by_default[j].kms_master_key_id == true
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

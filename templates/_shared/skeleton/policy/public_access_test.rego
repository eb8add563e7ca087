package ml_infra.public_access_test

import data.ml_infra.public_access
import rego.v1

change(resource_type, after) := {"address": sprintf("%s.this", [resource_type]), "mode": "managed", "type": resource_type, "change": {"actions": ["create"], "after": after}}

block(value) := change("aws_s3_bucket_public_access_block", {
	"block_public_acls": value,
	"block_public_policy": true,
	"ignore_public_acls": true,
	"restrict_public_buckets": true,
})

test_blocked_bucket_passes if {
	count(public_access.deny) == 0 with input as {"resource_changes": [change("aws_s3_bucket", {}), block(true)]}
}

test_public_acls_fail if {
	results := public_access.deny with input as {"resource_changes": [change("aws_s3_bucket", {}), block(false)]}
	some result in results
	result.control == "MLI-NET-001"
}

test_public_eks_endpoint_fails if {
	count(public_access.deny) == 1 with input as {"resource_changes": [change("aws_eks_cluster", {"vpc_config": [{"endpoint_public_access": true}]})]}
}

test_private_eks_endpoint_passes if {
	count(public_access.deny) == 0 with input as {"resource_changes": [change("aws_eks_cluster", {"vpc_config": [{"endpoint_public_access": false}]})]}
}

test_open_ingress_fails if {
	count(public_access.deny) == 1 with input as {"resource_changes": [change("aws_vpc_security_group_ingress_rule", {"cidr_ipv4": "0.0.0.0/0"})]}
}

test_public_database_fails if {
	count(public_access.deny) == 1 with input as {"resource_changes": [change("aws_db_instance", {"publicly_accessible": true})]}
}

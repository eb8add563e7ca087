package ml_infra.instances_test

import data.ml_infra.instances
import rego.v1

allowed := data.ml_infra.guardrails.allowed_instance_families[0]

node_group(instance_type) := {"resource_changes": [{
	"address": "aws_eks_node_group.gpu",
	"mode": "managed",
	"type": "aws_eks_node_group",
	"change": {"actions": ["create"], "after": {"instance_types": [instance_type]}},
}]}

test_allowed_family_passes if {
	count(instances.deny) == 0 with input as node_group(sprintf("%s.2xlarge", [allowed]))
}

test_forbidden_family_fails if {
	results := instances.deny with input as node_group("x99z.48xlarge")
	some result in results
	result.control == "MLI-CMP-001"
	contains(result.msg, "x99z")
}

test_sagemaker_prefix_is_stripped if {
	instances.family("ml.g5.2xlarge") == "g5"
	instances.family("db.m6i.large") == "m6i"
	instances.family("p4d.24xlarge") == "p4d"
}

package ml_infra.tags_test

import data.ml_infra.tags
import rego.v1

bucket(resource_tags) := {"resource_changes": [{
	"address": "aws_s3_bucket.this",
	"mode": "managed",
	"type": "aws_s3_bucket",
	"change": {"actions": ["create"], "after": {"tags": resource_tags, "tags_all": resource_tags}},
}]}

all_tags := {key: "x" | some key in data.ml_infra.guardrails.mandatory_tags}

test_all_mandatory_tags_pass if {
	count(tags.deny) == 0 with input as bucket(all_tags)
}

test_missing_tag_fails if {
	some key in data.ml_infra.guardrails.mandatory_tags
	partial := object.remove(all_tags, [key])
	results := tags.deny with input as bucket(partial)
	some result in results
	result.control == "MLI-TAG-001"
	result.severity == "high"
	contains(result.msg, key)
}

test_untaggable_resource_ignored if {
	count(tags.deny) == 0 with input as {"resource_changes": [{
		"address": "aws_kms_alias.this",
		"mode": "managed",
		"type": "aws_kms_alias",
		"change": {"actions": ["create"], "after": {"name": "alias/x"}},
	}]}
}

test_deleted_resource_ignored if {
	count(tags.deny) == 0 with input as {"resource_changes": [{
		"address": "aws_s3_bucket.old",
		"mode": "managed",
		"type": "aws_s3_bucket",
		"change": {"actions": ["delete"], "after": null},
	}]}
}

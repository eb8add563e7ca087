package ml_infra.regions_test

import data.ml_infra.regions
import rego.v1

plan(region) := {
	"configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": region}}}}},
	"variables": {"region": {"value": region}},
}

test_allowed_region_passes if {
	count(regions.deny) == 0 with input as plan(data.ml_infra.guardrails.allowed_regions[0])
}

test_forbidden_region_fails if {
	results := regions.deny with input as plan("xx-nowhere-9")
	count(results) == 2
	some result in results
	result.control == "MLI-REG-001"
}

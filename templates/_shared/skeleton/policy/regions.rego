# METADATA
# title: Allowed regions
# description: Resources are deployed only to the regions the guardrails allow.
# custom:
#   control: MLI-REG-001
#   severity: high
package ml_infra.regions

import data.ml_infra.guardrails
import data.ml_infra.lib
import rego.v1

__rego_metadata__ := {"id": "MLI-REG-001", "title": "Allowed regions", "severity": "high"}

deny contains result if {
	some name, provider in input.configuration.provider_config
	provider.name == "aws"
	region := provider.expressions.region.constant_value
	not region in guardrails.allowed_regions
	result := lib.result(__rego_metadata__, sprintf("provider %s targets region %s, which is not allowed", [name, region]))
}

deny contains result if {
	region := input.variables.region.value
	not region in guardrails.allowed_regions
	result := lib.result(__rego_metadata__, sprintf("variable region is %s, which is not allowed", [region]))
}

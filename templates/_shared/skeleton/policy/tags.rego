# METADATA
# title: Mandatory tags
# description: Every taggable resource carries the tags the platform guardrails require.
# custom:
#   control: MLI-TAG-001
#   severity: high
package ml_infra.tags

import data.ml_infra.guardrails
import data.ml_infra.lib
import rego.v1

__rego_metadata__ := {"id": "MLI-TAG-001", "title": "Mandatory tags", "severity": "high"}

deny contains result if {
	some rc in lib.changed_resources
	lib.taggable(rc)
	tags := lib.tags(rc)
	some key in guardrails.mandatory_tags
	not tags[key]
	result := lib.result(__rego_metadata__, sprintf("%s is missing the mandatory tag '%s'", [rc.address, key]))
}

# METADATA
# title: Allowed instance families
# description: Compute uses only the instance families of the accelerator families the guardrails allow.
# custom:
#   control: MLI-CMP-001
#   severity: high
package ml_infra.instances

import data.ml_infra.guardrails
import data.ml_infra.lib
import rego.v1

__rego_metadata__ := {"id": "MLI-CMP-001", "title": "Allowed instance families", "severity": "high"}

# "ml.g5.2xlarge" (SageMaker), "db.m6i.large" (RDS) and "p4d.24xlarge" all name family g5/m6i/p4d.
family(instance_type) := parts[1] if {
	parts := split(instance_type, ".")
	parts[0] in {"ml", "db"}
}

family(instance_type) := parts[0] if {
	parts := split(instance_type, ".")
	not parts[0] in {"ml", "db"}
}

instance_types contains [rc.address, t] if {
	some rc in lib.resources_of_type("aws_eks_node_group")
	after := lib.after(rc)
	some t in after.instance_types
}

instance_types contains [rc.address, t] if {
	some rc in lib.changed_resources
	rc.type in {"aws_launch_template", "aws_instance"}
	after := lib.after(rc)
	t := after.instance_type
	is_string(t)
}

instance_types contains [rc.address, variant.instance_type] if {
	some rc in lib.resources_of_type("aws_sagemaker_endpoint_configuration")
	after := lib.after(rc)
	some variant in after.production_variants
}

instance_types contains [rc.address, after.instance_class] if {
	some rc in lib.resources_of_type("aws_db_instance")
	after := lib.after(rc)
}

deny contains result if {
	some [address, instance_type] in instance_types
	not family(instance_type) in guardrails.allowed_instance_families
	result := lib.result(__rego_metadata__, sprintf("%s uses %s, whose family %s is not allowed", [address, instance_type, family(instance_type)]))
}

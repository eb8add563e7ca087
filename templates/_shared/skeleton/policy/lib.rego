# Helpers over the JSON plan (`terraform show -json`) shared by the policies.
package ml_infra.lib

import rego.v1

# Managed resources the plan creates or updates.
changed_resources contains rc if {
	some rc in input.resource_changes
	rc.mode == "managed"
	some action in rc.change.actions
	action in {"create", "update"}
}

resources_of_type(resource_type) := {rc | some rc in changed_resources; rc.type == resource_type}

after(rc) := object.get(rc.change, "after", {})

as_object(x) := x if is_object(x)

as_object(x) := {} if not is_object(x)

# The attribute is set in the plan, or only known after apply (computed from another resource).
has_value(rc, key) if {
	value := object.get(after(rc), key, null)
	not value in {null, "", []}
}

has_value(rc, key) if {
	object.get(object.get(rc.change, "after_unknown", {}), key, false) == true
}

taggable(rc) if "tags" in object.keys(after(rc))

tags(rc) := object.union(
	as_object(object.get(after(rc), "tags_all", {})),
	as_object(object.get(after(rc), "tags", {})),
)

result(metadata, msg) := {
	"msg": msg,
	"severity": metadata.severity,
	"control": metadata.id,
	"title": metadata.title,
}

# METADATA
# title: No public endpoints
# description: Clusters, databases, load balancers and buckets are not reachable from the internet.
# custom:
#   control: MLI-NET-001
#   severity: critical
package ml_infra.public_access

import data.ml_infra.lib
import rego.v1

__rego_metadata__ := {"id": "MLI-NET-001", "title": "No public endpoints", "severity": "critical"}

block_public_settings := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

deny contains result if {
	some rc in lib.resources_of_type("aws_s3_bucket_public_access_block")
	after := lib.after(rc)
	some setting in block_public_settings
	after[setting] != true
	result := lib.result(__rego_metadata__, sprintf("%s does not set %s", [rc.address, setting]))
}

deny contains result if {
	buckets := count(lib.resources_of_type("aws_s3_bucket"))
	blocks := count(lib.resources_of_type("aws_s3_bucket_public_access_block"))
	buckets > blocks
	result := lib.result(__rego_metadata__, sprintf("%d S3 bucket(s) but only %d public access block(s)", [buckets, blocks]))
}

deny contains result if {
	some rc in lib.resources_of_type("aws_eks_cluster")
	after := lib.after(rc)
	some vpc in after.vpc_config
	vpc.endpoint_public_access != false
	result := lib.result(__rego_metadata__, sprintf("%s has a public API endpoint", [rc.address]))
}

deny contains result if {
	some rc in lib.resources_of_type("aws_db_instance")
	after := lib.after(rc)
	after.publicly_accessible == true
	result := lib.result(__rego_metadata__, sprintf("%s is publicly accessible", [rc.address]))
}

deny contains result if {
	some rc in lib.resources_of_type("aws_lb")
	after := lib.after(rc)
	after.internal == false
	result := lib.result(__rego_metadata__, sprintf("%s is an internet-facing load balancer", [rc.address]))
}

deny contains result if {
	some rc in lib.resources_of_type("aws_vpc_security_group_ingress_rule")
	after := lib.after(rc)
	some key in ["cidr_ipv4", "cidr_ipv6"]
	after[key] in {"0.0.0.0/0", "::/0"}
	result := lib.result(__rego_metadata__, sprintf("%s allows ingress from anywhere", [rc.address]))
}

deny contains result if {
	some rc in lib.resources_of_type("aws_security_group")
	after := lib.after(rc)
	some rule in after.ingress
	some cidr in array.concat(object.get(rule, "cidr_blocks", []), object.get(rule, "ipv6_cidr_blocks", []))
	cidr in {"0.0.0.0/0", "::/0"}
	result := lib.result(__rego_metadata__, sprintf("%s allows ingress from anywhere", [rc.address]))
}

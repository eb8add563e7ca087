package test

import (
	"path/filepath"
	"testing"

	"github.com/gruntwork-io/terratest/modules/terraform"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExamplesBasicPlan plans examples/basic on every pull request: no resources are created.
func TestExamplesBasicPlan(t *testing.T) {
	t.Parallel()

	options := exampleOptions(t, "basic", filepath.Join(t.TempDir(), "plan.out"))
	plan := terraform.InitAndPlanAndShowWithStruct(t, options)

	require.NotEmpty(t, plan.ResourcePlannedValuesMap, "examples/basic plans no resources")
	for address, resource := range plan.ResourcePlannedValuesMap {
		if tags, ok := resource.AttributeValues["tags"].(map[string]interface{}); ok {
			assert.Contains(t, tags, "owner", "%s has no owner tag", address)
		}
	}
}

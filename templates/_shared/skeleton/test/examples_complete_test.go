package test

import (
	"path/filepath"
	"testing"

	"github.com/gruntwork-io/terratest/modules/terraform"
	"github.com/stretchr/testify/require"
)

// TestExamplesCompletePlan plans examples/complete on every pull request.
func TestExamplesCompletePlan(t *testing.T) {
	t.Parallel()

	options := exampleOptions(t, "complete", filepath.Join(t.TempDir(), "plan.out"))
	plan := terraform.InitAndPlanAndShowWithStruct(t, options)

	require.NotEmpty(t, plan.ResourceChangesMap, "examples/complete plans no changes")
	for address, change := range plan.ResourceChangesMap {
		require.NotContains(t, change.Change.Actions, "delete", "%s would be deleted on a fresh plan", address)
	}
}

package test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gruntwork-io/terratest/modules/terraform"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExamplesPlan plans every folder under examples/ on every pull request (nothing is created):
// a new example is covered without a new test.
func TestExamplesPlan(t *testing.T) {
	t.Parallel()

	examples, err := filepath.Glob(filepath.Join("..", "examples", "*"))
	require.NoError(t, err)
	require.NotEmpty(t, examples, "no examples to plan")

	for _, dir := range examples {
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			continue
		}
		example := filepath.Base(dir)
		t.Run(example, func(t *testing.T) {
			t.Parallel()

			options := exampleOptions(t, example, filepath.Join(t.TempDir(), "plan.out"))
			plan := terraform.InitAndPlanAndShowWithStruct(t, options)

			require.NotEmpty(t, plan.ResourceChangesMap, "examples/%s plans no changes", example)
			for address, change := range plan.ResourceChangesMap {
				actions := change.Change.Actions
				// A fresh plan only creates (or reads data sources); anything else means the
				// example depends on state it does not own.
				assert.True(t, actions.Create() || actions.Read(), "%s: unexpected actions %v on a fresh plan", address, actions)
			}
			for address, resource := range plan.ResourcePlannedValuesMap {
				tags, ok := resource.AttributeValues["tags"].(map[string]interface{})
				if !ok {
					continue
				}
				for _, key := range mandatoryTags {
					assert.Contains(t, tags, key, "%s has no %s tag", address, key)
				}
			}
		})
	}
}

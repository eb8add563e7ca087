//go:build integration

package test

import (
	"testing"

	"github.com/gruntwork-io/terratest/modules/terraform"
	"github.com/stretchr/testify/assert"
)

// TestExamplesCompleteApply creates examples/complete for real and destroys it again.
// Run with: go test -tags integration -run Apply ./...
func TestExamplesCompleteApply(t *testing.T) {
	t.Parallel()

	options := exampleOptions(t, "complete", "")
	defer terraform.Destroy(t, options)

	terraform.InitAndApply(t, options)

	for name, value := range terraform.OutputAll(t, options) {
		assert.NotNil(t, value, "output %s is empty", name)
	}
	// A second plan after apply must be empty: the module converges (exit code 2 means changes).
	assert.Equal(t, 0, terraform.PlanExitCode(t, options), "plan after apply is not empty")
}

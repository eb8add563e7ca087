package test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/gruntwork-io/terratest/modules/random"
	"github.com/gruntwork-io/terratest/modules/terraform"
	test_structure "github.com/gruntwork-io/terratest/modules/test-structure"
)

// uniqueName gives every test run its own resource names, so parallel runs never collide.
func uniqueName(prefix string) string {
	return fmt.Sprintf("%s-%s", prefix, strings.ToLower(random.UniqueId()))
}

// region is where the tests run; AWS_REGION from CI, else the module's region.
func region() string {
	if r := os.Getenv("AWS_REGION"); r != "" {
		return r
	}
	return moduleRegion
}

// exampleOptions copies an example (and the module it sources with ../../) to a temp folder,
// so parallel tests never share .terraform state.
func exampleOptions(t *testing.T, example string, planFile string) *terraform.Options {
	dir := test_structure.CopyTerraformFolderToTemp(t, "..", "examples/"+example)
	return terraform.WithDefaultRetryableErrors(t, &terraform.Options{
		TerraformDir: dir,
		Vars: map[string]interface{}{
			"name":   uniqueName("t"),
			"region": region(),
		},
		PlanFilePath: planFile,
		NoColor:      true,
	})
}

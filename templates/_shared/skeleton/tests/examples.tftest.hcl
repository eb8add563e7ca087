# Plans every example against a mocked AWS provider (tests/aws): no credentials, no network, no
# cost. The module's CI runs it with `terraform test`, and so does the portal's template suite;
# Terratest in test/ plans and applies the same examples against a real account.

mock_provider "aws" {
  source = "./tests/aws"
}

run "examples_basic" {
  command = plan

  module {
    source = "./examples/basic"
  }
}

run "examples_complete" {
  command = plan

  module {
    source = "./examples/complete"
  }
}

# MLflow backend store. The master password is generated and rotated by RDS in Secrets Manager
# (manage_master_user_password): it never appears in variables, state outputs or the plan.

resource "aws_db_subnet_group" "this" {
  name_prefix = "${local.identifier}-"
  description = "Subnets of the ${local.identifier} MLflow database."
  subnet_ids  = var.subnet_ids
  tags        = local.tags
}

resource "aws_security_group" "database" {
  name_prefix = "${local.identifier}-db-"
  description = "MLflow database of ${local.identifier}: PostgreSQL from the tracking server only."
  vpc_id      = var.vpc_id
  tags        = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

# count, not for_each: the client groups are usually created in the same apply, so their IDs
# are unknown at plan time, while the length of the list is known.
resource "aws_vpc_security_group_ingress_rule" "clients" {
  count = length(var.client_security_group_ids)

  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the MLflow tracking server"
  referenced_security_group_id = var.client_security_group_ids[count.index]
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  tags                         = local.tags
}

resource "aws_cloudwatch_log_group" "database" {
  for_each = toset(["postgresql", "upgrade"])

  name              = "/aws/rds/instance/${local.identifier}/${each.value}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = aws_kms_key.this.arn
  tags              = local.tags
}

resource "aws_db_instance" "this" {
  identifier     = local.identifier
  engine         = "postgres"
  engine_version = var.postgres_version
  instance_class = var.instance_class
  db_name        = "mlflow"
  username       = "mlflow"
  port           = 5432

  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.this.arn

  allocated_storage     = var.allocated_storage_gb
  max_allocated_storage = var.allocated_storage_gb * 4
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.this.arn

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.database.id]
  publicly_accessible    = false
  multi_az               = var.multi_az

  iam_database_authentication_enabled   = true
  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = aws_kms_key.this.arn
  performance_insights_retention_period = 7

  backup_retention_period    = var.backup_retention_days
  copy_tags_to_snapshot      = true
  deletion_protection        = var.deletion_protection
  skip_final_snapshot        = !var.deletion_protection
  final_snapshot_identifier  = "${local.identifier}-final"
  auto_minor_version_upgrade = true

  tags = local.tags

  lifecycle {
    precondition {
      condition     = length(local.identifier) <= 63 && !strcontains(local.identifier, "--")
      error_message = "The RDS identifier (name-environment) must be at most 63 characters without two consecutive hyphens."
    }
  }

  depends_on = [aws_cloudwatch_log_group.database]
}

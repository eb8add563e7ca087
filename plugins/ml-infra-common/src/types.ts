/*
 * The ML Infra API's shapes, named for the backend, the frontend and the CI clients. Every one is
 * the type generated from plugins/ml-infra-backend/src/schema/openapi.yaml (`yarn generate:openapi`
 * in that package): change the spec, not these lines.
 */
import type { components, operations } from './schema/openapi';

type Schemas = components['schemas'];

/** Status of one aspect (tests, policy, drift) of a module, version or environment. */
export type TestStatus = Schemas['TestStatus'];
/** Policy outcome; a waived failure is `waived`, never `passed`. */
export type PolicyOutcome = Schemas['PolicyOutcome'];
export type PolicyStatus = Schemas['PolicyStatus'];
export type DriftStatus = Schemas['DriftStatus'];
export type Severity = Schemas['Severity'];

/**
 * Identity of a CI run: sending the same identity again replaces what it stored. The matrix legs
 * of one workflow run each keep their upload (`leg`, stored as '' when absent).
 */
export type RunIdentity = Schemas['RunIdentity'];
export type TestTotals = Schemas['TestTotals'];
export type PolicyCounts = Schemas['PolicyCounts'];

/** One environment of a module as seen in the module list. */
export type ModuleEnvironmentSummary = Schemas['ModuleEnvironmentSummary'];
export type ModuleSummary = Schemas['ModuleSummary'];
export type ModuleListResponse = Schemas['ModuleListResponse'];
/**
 * Query of `GET /modules`. `healthy` needs evidence: a module nothing was reported for is
 * `not-reported`. With `environment`, drift is that environment's.
 */
export type ModuleListQuery = NonNullable<
  operations['ListModules']['parameters']['query']
>;

/** A released version with its evidence. */
export type ModuleVersion = Schemas['ModuleVersion'];
/**
 * A deployment. `deployedAt` is when the portal received it (the gate's soak time counts from
 * there); `reportedDeployedAt` and a service's `deployedBy` are what the CI client claimed.
 */
export type Deployment = Schemas['Deployment'];
/** Version x environment matrix with promotion history. */
export type EnvironmentMatrix = Schemas['EnvironmentMatrix'];

export type DriftResource = Schemas['DriftResource'];
/** One changed top-level attribute of a resource, its values as display text. */
export type AttributeChange = Schemas['AttributeChange'];
/** A period during which an environment was drifted. */
export type DriftEpisode = Schemas['DriftEpisode'];
export type EnvironmentDrift = Schemas['EnvironmentDrift'];
export type ModuleDrift = Schemas['ModuleDrift'];

export type PolicyResult = Schemas['PolicyResult'];
export type ModulePolicy = Schemas['ModulePolicy'];

export type TestCaseResult = Schemas['TestCaseResult'];
export type TestRun = Schemas['TestRun'];
export type ModuleTests = Schemas['ModuleTests'];

export type WaiverStatus = Schemas['WaiverStatus'];
export type Waiver = Schemas['Waiver'];
/** `environment` is required to cover the production environment (the last configured one). */
export type WaiverRequest = Schemas['WaiverRequest'];
/** The optional comment of an approval, rejection, revocation or withdrawal. */
export type WaiverDecision = Schemas['WaiverDecision'];
export type WaiverAuditEvent = Schemas['WaiverAuditEvent'];

/** `extension`: a check added by a backend module through the gate extension point. */
export type GateReason = Schemas['GateReason'];
export type PromotionGateDecision = Schemas['PromotionGateDecision'];

export type ComplianceOverview = Schemas['ComplianceOverview'];
/** A failed policy result of a module's latest version, as governance exports it. */
export type ComplianceFinding = NonNullable<
  ComplianceOverview['findings']
>[number];

export type ReleaseInput = Schemas['ReleaseInput'];
export type DeploymentInput = Schemas['DeploymentInput'];
export type CiRunInput = Schemas['CiRunInput'];
export type ModuleRegistration = Schemas['ModuleRegistration'];
export type ModuleRegistrationResponse = Schemas['ModuleRegistrationResponse'];

/** Answer of every ingestion endpoint. */
export type IngestResponse = Schemas['IngestResponse'];

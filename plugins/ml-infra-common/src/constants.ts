/** The catalog `spec.type` of ML infrastructure module Components. */
export const ML_INFRA_MODULE_TYPE = 'terraform-module';

/** Tag every ML infra module and golden-path template carries. */
export const ML_INFRA_TAG = 'ml-infra';

/** Annotation naming the golden path (template) that produced a module. */
export const ANNOTATION_GOLDEN_PATH = 'ml-infra.io/golden-path';
/** Annotation listing the environments a module is promoted through, comma separated. */
export const ANNOTATION_ENVIRONMENTS = 'ml-infra.io/environments';
/** Annotation naming a module's accelerator family (a name in `mlInfra.guardrails.acceleratorFamilies`). */
export const ANNOTATION_ACCELERATOR = 'ml-infra.io/accelerator';

/**
 * Paths of the ML Infra tabs on a module's entity page (relative to the entity page), shared by
 * the frontend that mounts them and the search collator that links results to them.
 */
export const ML_INFRA_ENTITY_TABS = {
  versions: 'ml-infra-versions',
  drift: 'ml-infra-drift',
  policy: 'ml-infra-policy',
  tests: 'ml-infra-tests',
} as const;

/** Annotations the catalog module writes with the module's status, so catalog filters work on them. */
export const ANNOTATION_LATEST_VERSION = 'ml-infra.io/latest-version';
export const ANNOTATION_DRIFT = 'ml-infra.io/drift';
export const ANNOTATION_POLICY = 'ml-infra.io/policy';
export const ANNOTATION_TESTS = 'ml-infra.io/tests';

/** Longest a waiver may last when `mlInfra.waivers.maxDurationDays` is not configured. */
export const DEFAULT_WAIVER_MAX_DAYS = 90;

/** Default environment order when `mlInfra.environments` is not configured. */
export const DEFAULT_ENVIRONMENTS = ['dev', 'staging', 'prod'];

/** The catalog `spec.type` of ML infrastructure module Components. */
export const ML_INFRA_MODULE_TYPE = 'terraform-module';

/** Tag every ML infra module and golden-path template carries. */
export const ML_INFRA_TAG = 'ml-infra';

/** Annotation naming the golden path (template) that produced a module. */
export const ANNOTATION_GOLDEN_PATH = 'ml-infra.io/golden-path';
/** Annotation listing the environments a module is promoted through, comma separated. */
export const ANNOTATION_ENVIRONMENTS = 'ml-infra.io/environments';

/** Annotations the catalog module writes with the module's status, so catalog filters work on them. */
export const ANNOTATION_LATEST_VERSION = 'ml-infra.io/latest-version';
export const ANNOTATION_DRIFT = 'ml-infra.io/drift';
export const ANNOTATION_POLICY = 'ml-infra.io/policy';
export const ANNOTATION_TESTS = 'ml-infra.io/tests';

/** Default environment order when `mlInfra.environments` is not configured. */
export const DEFAULT_ENVIRONMENTS = ['dev', 'staging', 'prod'];

/** Where teams learn how to push CI results; every empty state links here. */
export const CI_INTEGRATION_DOCS_URL =
  '/docs/default/component/ml-infra-portal/ci-integration/';

/** The scaffolder's create page, narrowed to the ML golden-path templates. */
export const CREATE_MODULE_PATH = '/create?filters[tags]=ml-infra';

/** Approved waivers expiring within this many days are called out on the governance page. */
export const WAIVER_EXPIRY_WARNING_DAYS = 14;

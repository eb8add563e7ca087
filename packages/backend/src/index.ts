import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-events-backend'));

// Sign-in: guest in the embedded default (see app-config.yaml)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// Catalog: modules are Components of spec.type terraform-module; templates are entities too
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@ml-infra-portal/plugin-catalog-backend-module-ml-infra'));

// Scaffolder: the "Create ML module" golden paths and their actions
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@ml-infra-portal/plugin-scaffolder-backend-module-ml-infra'),
);

backend.add(import('@backstage/plugin-techdocs-backend'));

// Search: the in-memory engine on the embedded default, PostgreSQL's when the database is
// PostgreSQL (the pg module steps aside on SQLite); catalog, TechDocs and ML Infra module status.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));
backend.add(import('@ml-infra-portal/plugin-search-backend-module-ml-infra'));

// Permissions: the portal's own policy (modules/permissionPolicy), not allow-all
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissionPolicy'));

backend.add(import('@ml-infra-portal/plugin-ml-infra-backend'));

backend.start();

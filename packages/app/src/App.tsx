import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import mlInfraPlugin from '@ml-infra-portal/plugin-ml-infra/alpha';
import { catalogModule } from './modules/catalog';
import { layoutModule } from './modules/layout';
import { navModule } from './modules/nav';
import { searchModule } from './modules/search';
import { themeModule } from './modules/theme';

// Plugins listed in package.json are discovered through `app.packages: all` in app-config.yaml;
// the ones named here are the features this app customises or relies on first.
export default createApp({
  features: [
    catalogPlugin,
    catalogModule,
    mlInfraPlugin,
    layoutModule,
    navModule,
    searchModule,
    themeModule,
  ],
});

import {
  createFrontendModule,
  PageLayout,
} from '@backstage/frontend-plugin-api';
import { SwappableComponentBlueprint } from '@backstage/plugin-app-react';

const pageLayout = SwappableComponentBlueprint.make({
  name: 'core-page-layout',
  params: define =>
    define({
      component: PageLayout,
      loader: async () => (await import('./PageLayout')).AppPageLayout,
    }),
});

/** The app's page frame (see AppPageLayout). */
export const layoutModule = createFrontendModule({
  pluginId: 'app',
  extensions: [pageLayout],
});

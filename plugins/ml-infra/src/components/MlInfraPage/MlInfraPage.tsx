import { lazy, Suspense } from 'react';
import {
  Header,
  Page,
  Progress,
  TabbedLayout,
} from '@backstage/core-components';
import { ModuleCatalog } from '../ModuleCatalog';

// The governance tab loads when it is opened: its charts (recharts, the largest chunk the page
// pulled in) are not needed for the module list, and parsing them held up its first row.
const GovernancePage = lazy(() =>
  import('../GovernancePage').then(m => ({ default: m.GovernancePage })),
);

/** The ML Infra page: the module catalog at its root, governance under /compliance. */
export const MlInfraPage = () => (
  <Page themeId="tool">
    <Header
      title="ML Infra"
      subtitle="Terraform modules for ML platforms: versions, environments, drift, policy and tests"
    />
    <TabbedLayout>
      <TabbedLayout.Route path="/" title="Modules">
        <ModuleCatalog />
      </TabbedLayout.Route>
      <TabbedLayout.Route path="/compliance" title="Governance">
        <Suspense fallback={<Progress />}>
          <GovernancePage />
        </Suspense>
      </TabbedLayout.Route>
    </TabbedLayout>
  </Page>
);

import { renderInTestApp } from '@backstage/test-utils';
import { MlInfraPage } from './MlInfraPage';

describe('MlInfraPage', () => {
  it('renders the page header', async () => {
    const { getByText } = await renderInTestApp(<MlInfraPage />);
    expect(getByText('ML Infra')).toBeInTheDocument();
  });
});

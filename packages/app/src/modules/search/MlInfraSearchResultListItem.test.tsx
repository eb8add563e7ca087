import { configApiRef } from '@backstage/core-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { MockSearchApi, searchApiRef } from '@backstage/plugin-search-react';
import { screen, within } from '@testing-library/react';
import { MlInfraSearchResultListItem } from './MlInfraSearchResultListItem';
import { SearchPage } from './SearchPage';

// Tags as the search engines make them: random strings, not HTML.
const preTag = '<d7d6a1c2-tag>';
const postTag = '</d7d6a1c2-tag>';

const drift = {
  title: 'GPU training cluster: drifted',
  text: 'Drifted in prod since 2026-11-20.',
  location: '/catalog/default/component/gpu-training-cluster/ml-infra-drift',
  aspect: 'drift',
};

describe('MlInfraSearchResultListItem', () => {
  it('marks the matched words of title and text and prints no tag', async () => {
    const { container } = renderInTestApp(
      <MlInfraSearchResultListItem
        result={drift}
        highlight={{
          preTag,
          postTag,
          fields: {
            title: `GPU training cluster: ${preTag}drifted${postTag}`,
            text: `${preTag}Drifted${postTag} in prod since 2026-11-20.`,
            aspect: `${preTag}drift${postTag}`,
          },
        }}
      />,
    );
    const link = await screen.findByRole('link', {
      name: 'GPU training cluster: drifted',
    });
    expect(link).toHaveAttribute('href', drift.location);
    const marks = [...container.querySelectorAll('mark')].map(
      m => m.textContent,
    );
    expect(marks).toEqual(['drifted', 'Drifted']);
    expect(screen.getByText('Drift')).toBeInTheDocument();
    expect(container.textContent).not.toContain('d7d6a1c2');
  });

  it('shows the plain text when the marks do not fit it, never the raw tags', async () => {
    const { container } = renderInTestApp(
      <MlInfraSearchResultListItem
        result={drift}
        highlight={{
          preTag,
          postTag,
          fields: {
            // Offsets past the end of the text: marks around nothing.
            title: `GPU training cluster: drifted${preTag}${postTag}`,
            // Marks taken from another document's text.
            text: `Drifted in ${preTag}dev${postTag}.`,
          },
        }}
      />,
    );
    expect(
      await screen.findByRole('link', {
        name: 'GPU training cluster: drifted',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText(drift.text)).toBeInTheDocument();
    expect(container.querySelector('mark')).toBeNull();
    expect(container.textContent).not.toContain('d7d6a1c2');
  });
});

describe('SearchPage', () => {
  it('renders each result with the row of its type', async () => {
    const searchApi = new MockSearchApi({
      results: [
        {
          type: 'ml-infra-module',
          document: drift,
          highlight: {
            preTag,
            postTag,
            fields: {
              text: `${preTag}Drifted${postTag} in prod since 2026-11-20.`,
            },
          },
        },
      ],
    });
    renderInTestApp(
      <SearchPage
        items={[
          {
            predicate: result => result.type === 'ml-infra-module',
            component: MlInfraSearchResultListItem,
          },
        ]}
        resultTypes={[]}
        searchFilters={[]}
      />,
      {
        apis: [
          [searchApiRef, searchApi],
          [catalogApiRef, catalogApiMock()],
          [configApiRef, mockApis.config()],
        ],
      },
    );
    const results = await screen.findByRole('list', { name: 'Search results' });
    // The ML Infra row names the tab its link opens; the default row would not.
    expect(await within(results).findByText('Drift')).toBeInTheDocument();
    expect(within(results).getByText('Drifted').tagName).toBe('MARK');
    expect(results.textContent).not.toContain('d7d6a1c2');
  });
});

import { formatSearchUrl, parseSearchUrl } from './SearchUrlState';

describe('search URL state', () => {
  it('reads the query, result types, page cursor and filters the stock page writes', () => {
    expect(
      parseSearchUrl(
        '?query=ML-NET-001&types%5B%5D=ml-infra-module&pageCursor=Mg%3D%3D&filters%5Bkind%5D=Component&filters%5Blifecycle%5D%5B%5D=production&filters%5Blifecycle%5D%5B%5D=experimental',
      ),
    ).toEqual({
      term: 'ML-NET-001',
      types: ['ml-infra-module'],
      pageCursor: 'Mg==',
      filters: { kind: 'Component', lifecycle: ['production', 'experimental'] },
    });
  });

  it('writes what it reads', () => {
    const state = {
      term: 'training cluster',
      types: ['techdocs', 'software-catalog'],
      pageCursor: undefined,
      filters: { lifecycle: ['production'], kind: 'Component' },
    };
    expect(parseSearchUrl(`?${formatSearchUrl(state)}`)).toEqual(state);
  });

  it('leaves out empty filters and a missing cursor', () => {
    expect(
      formatSearchUrl({
        term: '',
        types: [],
        filters: { kind: '', name: undefined },
      }),
    ).toBe('query=');
  });
});

import { useSearch } from '@backstage/plugin-search-react';
import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router-dom';

type Filters = Record<string, string | string[]>;

/** Reads `query`, `types[]`, `pageCursor` and `filters[name]` / `filters[name][]` of a search URL. */
export function parseSearchUrl(search: string) {
  const params = new URLSearchParams(search);
  const types: string[] = [];
  const filters: Filters = {};
  params.forEach((value, key) => {
    if (/^types\[\d*\]$/.test(key)) types.push(value);
    const filter = /^filters\[([^\]]+)\](\[\d*\])?$/.exec(key);
    if (filter) {
      const [, name, many] = filter;
      if (many) {
        filters[name] = [...((filters[name] as string[]) ?? []), value];
      } else {
        filters[name] = value;
      }
    }
  });
  return {
    term: params.get('query') ?? undefined,
    pageCursor: params.get('pageCursor') ?? undefined,
    types,
    filters,
  };
}

/** The inverse of parseSearchUrl, so a search can be shared and survives a reload. */
export function formatSearchUrl(state: {
  term: string;
  types: string[];
  pageCursor?: string;
  filters: Record<string, unknown>;
}) {
  const params = new URLSearchParams();
  params.set('query', state.term);
  state.types.forEach(type => params.append('types[]', type));
  if (state.pageCursor) params.set('pageCursor', state.pageCursor);
  for (const [name, value] of Object.entries(state.filters)) {
    if (Array.isArray(value)) {
      value.forEach(v => params.append(`filters[${name}][]`, String(v)));
    } else if (value !== undefined && value !== null && value !== '') {
      params.set(`filters[${name}]`, String(value));
    }
  }
  return params.toString();
}

/** Keeps the search context and the page URL in step, both ways, as the stock search page does. */
export const SearchUrlState = () => {
  const location = useLocation();
  const search = useSearch();
  const { setTerm, setTypes, setPageCursor, setFilters } = search;
  const previous = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (location.search === previous.current) return;
    previous.current = location.search;
    const state = parseSearchUrl(location.search);
    if (Object.keys(state.filters).length > 0) setFilters(state.filters);
    if (state.term) setTerm(state.term);
    if (state.pageCursor) setPageCursor(state.pageCursor);
    setTypes(state.types);
  }, [location.search, setTerm, setTypes, setPageCursor, setFilters]);

  const { term, types, pageCursor, filters } = search;
  useEffect(() => {
    const query = formatSearchUrl({ term, types, pageCursor, filters });
    window.history.replaceState(
      null,
      document.title,
      `${window.location.pathname}?${query}`,
    );
  }, [term, types, pageCursor, filters]);
  return null;
};

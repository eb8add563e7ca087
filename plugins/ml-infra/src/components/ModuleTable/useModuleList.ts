import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  ModuleListQuery,
  ModuleListResponse,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from '../../api';

export type SortField = NonNullable<ModuleListQuery['sort']>;

/** The query a URL's search params ask of the backend. */
export function listQuery(
  params: URLSearchParams,
  initialPageSize: number,
): ModuleListQuery {
  const page = Math.max(0, Number(params.get('page') ?? 0) || 0);
  const pageSize = Number(params.get('pageSize') ?? 0) || initialPageSize;
  return {
    owner: params.get('owner') || undefined,
    environment: params.get('environment') || undefined,
    goldenPath: params.get('goldenPath') || undefined,
    status: (params.get('status') || undefined) as ModuleListQuery['status'],
    search: params.get('q') ?? '',
    sort: (params.get('sort') ?? 'name') as SortField,
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
    offset: page * pageSize,
    limit: pageSize,
  };
}

interface ListAnswer {
  /** The search params it answers. */
  key: string;
  value?: ModuleListResponse;
  error?: Error;
  /** The latest list received, kept on screen while the next one loads. */
  shown?: ModuleListResponse;
}

/**
 * The module list for the URL's search params, latest request wins. `request` starts the request
 * for params about to be written to the URL, so a search asks the server at once instead of after
 * the re-render the URL change causes; the URL's own changes (Back, reload, links) ask too, and
 * the same params are never asked twice in a row. The promise `request` returns settles once its
 * answer (or error) is on its way to the screen, false if a later request superseded it.
 */
export function useModuleList(
  params: URLSearchParams,
  initialPageSize: number,
) {
  const api = useApi(mlInfraApiRef);
  const key = params.toString();
  const latest = useRef<string>();
  const urlKey = useRef(key);
  urlKey.current = key;
  // The params last asked and the URL's when they were: the URL shows a search only once it is
  // answered, while a URL change since (Back, links) asks for its own params.
  const [asked, setAsked] = useState({ key, url: key });
  const target = asked.url === key ? asked.key : key;
  const [answer, setAnswer] = useState<ListAnswer>();
  /** Asks for `next` (its key `nextKey`); the answer is set unless a later request superseded it. */
  const ask = useCallback(
    (nextKey: string, next: URLSearchParams): Promise<boolean> => {
      latest.current = nextKey;
      return api.listModules(listQuery(next, initialPageSize)).then(
        value => {
          if (latest.current !== nextKey) return false;
          setAnswer({ key: nextKey, value, shown: value });
          return true;
        },
        error => {
          if (latest.current !== nextKey) return false;
          setAnswer(prev => ({ key: nextKey, error, shown: prev?.shown }));
          return true;
        },
      );
    },
    [api, initialPageSize],
  );
  const request = useCallback(
    (next: URLSearchParams): Promise<boolean> => {
      const nextKey = next.toString();
      if (latest.current === nextKey) return Promise.resolve(false);
      setAsked({ key: nextKey, url: urlKey.current });
      return ask(nextKey, next);
    },
    [ask],
  );
  useEffect(() => {
    request(new URLSearchParams(key));
  }, [request, key]);
  return {
    request,
    loading: answer?.key !== target,
    value: answer?.key === target ? answer.value : undefined,
    error: answer?.key === target ? answer.error : undefined,
    /** Kept on screen while the next answer loads, so paging does not flash. */
    shown: answer?.shown,
  };
}

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
 * the re-render the URL change causes; `willWrite` announces that write, so the URL showing it (late,
 * perhaps after a newer search was asked) does not ask again. The URL's other changes (Back,
 * reload, links) ask for their params, and the same params are never asked twice in a row. The
 * promise `request` returns settles once its answer (or error) is on its way to the screen, false
 * if a later request superseded it.
 */
export function useModuleList(
  params: URLSearchParams,
  initialPageSize: number,
) {
  const api = useApi(mlInfraApiRef);
  const key = params.toString();
  const latest = useRef<string>();
  // The params last asked: the screen waits for their answer (a search is asked before the URL
  // shows it).
  const [asked, setAsked] = useState(key);
  const [answer, setAnswer] = useState<ListAnswer>();
  // URL writes announced and not yet seen in a committed render, oldest first.
  const ownWrites = useRef<string[]>([]);
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
      setAsked(nextKey);
      return ask(nextKey, next);
    },
    [ask],
  );
  const willWrite = useCallback((next: URLSearchParams) => {
    ownWrites.current.push(next.toString());
  }, []);
  useEffect(() => {
    // A write of ours was asked before it was written, and a newer search may be in flight
    // since: it asks nothing (nor do the writes before it, which it replaced).
    const own = ownWrites.current.indexOf(key);
    if (own >= 0) {
      ownWrites.current.splice(0, own + 1);
      return;
    }
    // Any other change (Back, links, filters) asks for its params; a write of ours that did
    // not change the URL is forgotten with it.
    ownWrites.current = [];
    request(new URLSearchParams(key));
  }, [request, key]);
  return {
    request,
    willWrite,
    loading: answer?.key !== asked,
    value: answer?.key === asked ? answer.value : undefined,
    error: answer?.key === asked ? answer.error : undefined,
    /** Kept on screen while the next answer loads, so paging does not flash. */
    shown: answer?.shown,
  };
}

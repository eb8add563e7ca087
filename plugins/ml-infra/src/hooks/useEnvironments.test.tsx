import { PropsWithChildren } from 'react';
import { renderHook } from '@testing-library/react';
import { configApiRef } from '@backstage/core-plugin-api';
import { mockApis, TestApiProvider } from '@backstage/test-utils';
import { useEnvironments } from './useEnvironments';

function withConfig(data: object) {
  return ({ children }: PropsWithChildren<{}>) => (
    <TestApiProvider apis={[[configApiRef, mockApis.config({ data })]]}>
      {children}
    </TestApiProvider>
  );
}

describe('useEnvironments', () => {
  it('gives the configured environments in promotion order', () => {
    const { result } = renderHook(() => useEnvironments(), {
      wrapper: withConfig({
        mlInfra: { environments: ['dev', 'qa', 'prod'] },
      }),
    });
    expect(result.current).toEqual(['dev', 'qa', 'prod']);
  });

  it('falls back to dev, staging, prod as the backend does', () => {
    const { result } = renderHook(() => useEnvironments(), {
      wrapper: withConfig({}),
    });
    expect(result.current).toEqual(['dev', 'staging', 'prod']);
  });

  it('refuses a list the backend would refuse (an environment twice)', () => {
    expect(() =>
      renderHook(() => useEnvironments(), {
        wrapper: withConfig({ mlInfra: { environments: ['dev', 'dev'] } }),
      }),
    ).toThrow(/each once/);
  });
});

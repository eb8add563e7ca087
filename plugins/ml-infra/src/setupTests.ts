import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// CI runs on a busy 2-core machine where lazily loaded pages can take several seconds to render;
// every findBy*/waitFor waits for its condition up to this bound instead of the 1 s default.
configure({ asyncUtilTimeout: 30_000 });

// recharts' ResponsiveContainer observes its size; jsdom has no ResizeObserver.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= ResizeObserverStub;

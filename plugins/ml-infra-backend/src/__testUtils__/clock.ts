/**
 * Fakes only `Date`: the in-process backend's own timers, ticks and clocks keep running, so a
 * test can move the server's clock (`jest.setSystemTime`) while requests are still served.
 * Undo with `jest.useRealTimers()`.
 */
export function fakeDateOnly() {
  jest.useFakeTimers({
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
  });
}

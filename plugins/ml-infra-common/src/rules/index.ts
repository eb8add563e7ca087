export * from './environments';
export * from './guardrails';
export * from './moduleName';
export * from './severity';

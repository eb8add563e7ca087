export * from './renderWithMlInfra';
export * from './fixtures';

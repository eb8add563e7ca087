export * from './renderWithMlInfra';
export * from './fixtures';
export * from './mlInfraApi';

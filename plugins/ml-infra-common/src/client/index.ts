export * from './createMlInfraApiClient';
export * from './MlInfraClient';

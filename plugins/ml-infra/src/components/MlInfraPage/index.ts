export { MlInfraPage } from './MlInfraPage';

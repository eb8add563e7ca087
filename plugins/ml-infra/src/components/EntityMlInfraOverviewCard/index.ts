export { EntityMlInfraOverviewCard } from './EntityMlInfraOverviewCard';

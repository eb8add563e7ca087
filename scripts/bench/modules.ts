/**
 * The module entities the benchmark's catalog mock holds, shared by the driver (history, request
 * targets) and the server process (catalog mock).
 */
import type { Entity } from '@backstage/catalog-model';

export const OWNER_GROUPS = 20;
export const ENVIRONMENTS = ['dev', 'staging', 'prod'];

const GOLDEN_PATHS = [
  'gpu-training-cluster',
  'model-serving-endpoint',
  'feature-store',
  'dataset-artifact-store',
  'experiment-tracking',
];

export function moduleName(i: number): string {
  return `ml-module-${String(i).padStart(4, '0')}`;
}

export function moduleRef(i: number): string {
  return `component:default/${moduleName(i)}`;
}

export function ownerOf(i: number): string {
  return `group:default/ml-team-${String(i % OWNER_GROUPS).padStart(2, '0')}`;
}

export function moduleEntity(i: number): Entity {
  const goldenPath = GOLDEN_PATHS[i % GOLDEN_PATHS.length];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: moduleName(i),
      namespace: 'default',
      title: `ML module ${i} (${goldenPath})`,
      description: `Terraform module for ${goldenPath.replace(
        /-/g,
        ' ',
      )} #${i}`,
      annotations: { 'ml-infra.io/golden-path': goldenPath },
      tags: ['terraform', 'ml-infra'],
    },
    spec: {
      type: 'terraform-module',
      owner: ownerOf(i),
      lifecycle: i % 9 === 0 ? 'experimental' : 'production',
      system: `ml-platform-${i % 7}`,
    },
  };
}

export function moduleEntities(count: number): Entity[] {
  return Array.from({ length: count }, (_, i) => moduleEntity(i));
}

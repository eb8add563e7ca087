import type { Entity } from '@backstage/catalog-model';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { labelsCardWithoutMlModules } from '.';

const entity = (type: string, labels?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', ...(labels ? { labels } : {}) },
  spec: { type, owner: 'group:default/ml-platform', lifecycle: 'production' },
});

describe('labelsCardWithoutMlModules', () => {
  const output = createExtensionTester(labelsCardWithoutMlModules).get(
    EntityCardBlueprint.dataRefs.filterFunction,
  );
  const filter = (e: Entity) => {
    // The override must output a filter function, or the card shows everywhere.
    expect(output).toBeInstanceOf(Function);
    return output!(e);
  };

  it('leaves the Labels card off an ML module, whose labels the ML Infra card shows', () => {
    expect(
      filter(entity('terraform-module', { 'ml-infra.io/drift': 'drifted' })),
    ).toBe(false);
  });

  it('keeps it for other entities with labels, and off those without', () => {
    expect(filter(entity('service', { tier: 'gold' }))).toBe(true);
    expect(filter(entity('service'))).toBe(false);
  });
});

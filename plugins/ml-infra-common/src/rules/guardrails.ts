import type { Config } from '@backstage/config';

/** An accelerator family and the instance families that carry it. */
export interface AcceleratorFamily {
  name: string;
  title: string;
  instanceFamilies: string[];
  defaultInstanceType?: string;
}

/** A mandatory tag: either a known key filled from the form, or a fixed value. */
export interface MandatoryTag {
  key: string;
  value?: string;
}

/** The guardrails of the golden paths, read from `mlInfra.guardrails`. */
export interface Guardrails {
  clouds: string[];
  regions: string[];
  acceleratorFamilies: AcceleratorFamily[];
  mandatoryTags: MandatoryTag[];
  dataClassifications: string[];
}

/** Tag keys whose value the golden paths know how to fill. */
export const KNOWN_TAG_KEYS = [
  'owner',
  'cost-center',
  'data-classification',
  'environment',
  'module',
  'golden-path',
  'managed-by',
] as const;

// Used when app-config has no `mlInfra.guardrails`, so the embedded default works out of the box.
export const DEFAULT_GUARDRAILS: Guardrails = {
  clouds: ['aws'],
  regions: ['us-east-1', 'us-west-2', 'eu-west-1'],
  acceleratorFamilies: [
    {
      name: 'nvidia-h100',
      title: 'NVIDIA H100',
      instanceFamilies: ['p5'],
      defaultInstanceType: 'p5.48xlarge',
    },
    {
      name: 'nvidia-a100',
      title: 'NVIDIA A100',
      instanceFamilies: ['p4d', 'p4de'],
      defaultInstanceType: 'p4d.24xlarge',
    },
    {
      name: 'nvidia-a10g',
      title: 'NVIDIA A10G',
      instanceFamilies: ['g5'],
      defaultInstanceType: 'g5.2xlarge',
    },
    {
      name: 'nvidia-l4',
      title: 'NVIDIA L4',
      instanceFamilies: ['g6'],
      defaultInstanceType: 'g6.2xlarge',
    },
    {
      name: 'nvidia-t4',
      title: 'NVIDIA T4',
      instanceFamilies: ['g4dn'],
      defaultInstanceType: 'g4dn.xlarge',
    },
    {
      name: 'aws-trainium',
      title: 'AWS Trainium',
      instanceFamilies: ['trn1'],
      defaultInstanceType: 'trn1.32xlarge',
    },
    {
      name: 'aws-inferentia2',
      title: 'AWS Inferentia2',
      instanceFamilies: ['inf2'],
      defaultInstanceType: 'inf2.xlarge',
    },
    {
      name: 'cpu',
      title: 'CPU only',
      instanceFamilies: ['m6i', 'c6i', 'r6i'],
      defaultInstanceType: 'm6i.xlarge',
    },
  ],
  mandatoryTags: KNOWN_TAG_KEYS.map(key => ({ key })),
  dataClassifications: ['public', 'internal', 'confidential', 'restricted'],
};

function nonEmpty(values: string[] | undefined, fallback: string[]) {
  return values && values.length > 0 ? values : fallback;
}

/**
 * Reads `mlInfra.guardrails`; each list that is absent falls back to {@link DEFAULT_GUARDRAILS}.
 * Fails on a mandatory tag key that has neither a known source nor a fixed value, because the
 * generated modules could not fill it.
 */
export function readGuardrails(config: Config): Guardrails {
  const c = config.getOptionalConfig('mlInfra.guardrails');
  if (!c) {
    return DEFAULT_GUARDRAILS;
  }
  const families = c.getOptionalConfigArray('acceleratorFamilies')?.map(f => ({
    name: f.getString('name'),
    title: f.getOptionalString('title') ?? f.getString('name'),
    instanceFamilies: f.getStringArray('instanceFamilies'),
    defaultInstanceType: f.getOptionalString('defaultInstanceType'),
  }));
  const rawTags =
    c.getOptional<Array<string | { key: string; value: string }>>(
      'mandatoryTags',
    );
  const mandatoryTags = rawTags?.map((tag, index) => {
    if (typeof tag === 'string') {
      if (!(KNOWN_TAG_KEYS as readonly string[]).includes(tag)) {
        throw new Error(
          `mlInfra.guardrails.mandatoryTags[${index}] '${tag}' is not a known tag (${KNOWN_TAG_KEYS.join(
            ', ',
          )}); give it a fixed value with { key, value }`,
        );
      }
      return { key: tag };
    }
    if (!tag || typeof tag.key !== 'string' || typeof tag.value !== 'string') {
      throw new Error(
        `mlInfra.guardrails.mandatoryTags[${index}] must be a string or { key, value }`,
      );
    }
    return { key: tag.key, value: tag.value };
  });
  return {
    clouds: nonEmpty(
      c.getOptionalStringArray('clouds'),
      DEFAULT_GUARDRAILS.clouds,
    ),
    regions: nonEmpty(
      c.getOptionalStringArray('regions'),
      DEFAULT_GUARDRAILS.regions,
    ),
    acceleratorFamilies:
      families && families.length > 0
        ? families
        : DEFAULT_GUARDRAILS.acceleratorFamilies,
    mandatoryTags:
      mandatoryTags && mandatoryTags.length > 0
        ? mandatoryTags
        : DEFAULT_GUARDRAILS.mandatoryTags,
    dataClassifications: nonEmpty(
      c.getOptionalStringArray('dataClassifications'),
      DEFAULT_GUARDRAILS.dataClassifications,
    ),
  };
}

/** Every instance family any configured accelerator family allows. */
export function allowedInstanceFamilies(guardrails: Guardrails): string[] {
  return [
    ...new Set(guardrails.acceleratorFamilies.flatMap(f => f.instanceFamilies)),
  ].sort();
}

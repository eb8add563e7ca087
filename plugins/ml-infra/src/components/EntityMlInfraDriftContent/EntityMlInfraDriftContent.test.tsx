import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  API_BASE,
  drift,
  renderModuleTab,
  setupMlInfraApi,
} from '../../__testUtils__';
import { EntityMlInfraDriftContent } from './EntityMlInfraDriftContent';
import { pivotChecks } from './DriftHistoryChart';

const DRIFT_URL = `${API_BASE}/modules/component/default/gpu-training-cluster/drift`;

describe('EntityMlInfraDriftContent', () => {
  const { server, respond } = setupMlInfraApi();

  it('shows per-environment drift, drifted resources, history and episodes', async () => {
    respond(DRIFT_URL, drift);
    await renderModuleTab(<EntityMlInfraDriftContent />);

    const staging = await screen.findByTestId('drift-env-staging');
    expect(
      within(staging).getByLabelText('staging drift: Drifted'),
    ).toBeInTheDocument();
    expect(staging).toHaveTextContent('2 days, 2 hours');
    expect(
      within(screen.getByTestId('drift-env-dev')).getByLabelText(
        'dev drift: In sync',
      ),
    ).toBeInTheDocument();

    const resources = screen.getByRole('table', {
      name: 'Drifted resources in staging',
    });
    expect(resources).toHaveTextContent('aws_eks_node_group.gpu["a100"]');
    expect(
      within(resources).getByText('scaling_config.desired_size'),
    ).toBeInTheDocument();
    expect(resources).toHaveTextContent('Changed outside Terraform');

    expect(screen.getByTestId('drift-history-chart')).toBeInTheDocument();
    const episodes = within(
      screen.getByRole('table', { name: 'Drift episodes' }),
    ).getAllByRole('row');
    expect(episodes[1]).toHaveTextContent('Open');
    expect(episodes[2]).toHaveTextContent('1 day, 6 hours');
  });

  it('pivots checks into one row per check time', () => {
    expect(pivotChecks(drift.checks)).toEqual([
      { checkedAt: drift.checks[0].checkedAt, dev: 0, staging: 1 },
      { checkedAt: drift.checks[2].checkedAt, dev: 0, staging: 1 },
    ]);
  });

  it('shows before and after values of changed attributes, sensitive ones masked', async () => {
    const staging = drift.environments[1];
    respond(DRIFT_URL, {
      ...drift,
      environments: [
        {
          ...staging,
          resources: [
            {
              address: 'aws_instance.web_app_1',
              type: 'aws_instance',
              action: 'update',
              changedAttributes: ['instance_type', 'password', 'arn'],
              source: 'change',
              attributes: [
                { name: 'arn', afterUnknown: true, before: 'arn:old' },
                {
                  name: 'instance_type',
                  before: 't3.micro',
                  after: 't3.small',
                },
                { name: 'password', sensitive: true },
              ],
            },
          ],
        },
      ],
    });
    await renderModuleTab(<EntityMlInfraDriftContent />);

    const changes = await screen.findByRole('table', {
      name: 'Changed attributes of aws_instance.web_app_1',
    });
    const rows = within(changes).getAllByRole('row');
    expect(rows.map(row => row.textContent)).toEqual([
      'AttributeBeforeAfter',
      'arnarn:old(known after apply)',
      'instance_typet3.microt3.small',
      'password(sensitive)(sensitive)',
    ]);
  });

  it('lists attribute names where the plan had no values', async () => {
    respond(DRIFT_URL, drift);
    await renderModuleTab(<EntityMlInfraDriftContent />);
    const resources = await screen.findByRole('table', {
      name: 'Drifted resources in staging',
    });
    expect(within(resources).getByText('tags.CostCenter')).toBeInTheDocument();
    expect(
      within(resources).queryByRole('table', { name: /Changed attributes/ }),
    ).not.toBeInTheDocument();
  });

  it('shows how to start, not unknown rows, for a module with environments but no check yet', async () => {
    server.use(
      http.get(DRIFT_URL, () =>
        HttpResponse.json({
          environments: ['dev', 'staging', 'prod'].map(environment => ({
            environment,
            status: 'unknown',
            resources: [],
          })),
          episodes: [],
          checks: [],
        }),
      ),
    );
    await renderModuleTab(<EntityMlInfraDriftContent />);
    expect(
      await screen.findByText('No drift checks reported yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Read the CI integration guide' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Drift per environment' }),
    ).not.toBeInTheDocument();
  });

  it('shows an empty state before the first check', async () => {
    respond(DRIFT_URL, { environments: [], episodes: [], checks: [] });
    await renderModuleTab(<EntityMlInfraDriftContent />);
    expect(
      await screen.findByText('No drift checks reported yet'),
    ).toBeInTheDocument();
  });

  it('shows errors', async () => {
    server.use(
      http.get(DRIFT_URL, () =>
        HttpResponse.text('bad gateway', { status: 502 }),
      ),
    );
    await renderModuleTab(<EntityMlInfraDriftContent />);
    expect((await screen.findAllByText(/502/)).length).toBeGreaterThan(0);
  });
});

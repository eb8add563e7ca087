import { compliance } from '../../__testUtils__/fixtures';
import { driftCsv, findingsCsv, waiversCsv } from './complianceCsv';
import { groupWaivers } from './waivers';

describe('evidence tables', () => {
  it('writes one findings row per failing rule of each module', () => {
    const csv = findingsCsv({
      ...compliance,
      findings: [
        {
          entityRef: 'component:default/a',
          owner: 'group:default/ml-platform',
          version: '1.0.0',
          rule: 'MLI-NET-001',
          control: 'SC-7',
          severity: 'critical',
          resource: 'aws_eks_cluster.main',
          status: 'failed',
          count: 1,
        },
        {
          entityRef: 'component:default/b',
          owner: 'group:default/data',
          rule: 'MLI-TAG-001',
          severity: 'high',
          environment: 'dev',
          status: 'waived',
          waiverId: compliance.waivers[1].id,
          count: 2,
        },
      ],
    });
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'module,owner,version,rule,control,severity,environment,resource,status,checks,waiver,waiver expires',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(
      'component:default/a,group:default/ml-platform,1.0.0,MLI-NET-001,SC-7,critical,all,aws_eks_cluster.main,failed,1,,',
    );
    expect(lines[2]).toContain(
      `waived,2,${compliance.waivers[1].id},${compliance.waivers[1].expiresAt}`,
    );
  });

  it('writes one row per waiver with its decision, and no expiry for a rejected one', () => {
    const base = compliance.waivers[0];
    const csv = waiversCsv([
      {
        ...base,
        id: 'w-rejected',
        status: 'rejected',
        decidedBy: 'user:default/gov',
        decidedAt: '2026-11-20T10:00:00.000Z',
        decisionComment: 'fix it, "please"',
      },
    ]);
    const [header, row, ...rest] = csv.split('\r\n');
    expect(header.split(',')).toContain('decision comment');
    expect(rest).toEqual([]);
    expect(row).toContain(',rejected,');
    expect(row).not.toContain(base.expiresAt);
    expect(row).toContain(
      'user:default/gov,2026-11-20T10:00:00.000Z,"fix it, ""please"""',
    );
  });

  it('defuses formulas in every table', () => {
    const csv = waiversCsv([
      { ...compliance.waivers[0], justification: '=HYPERLINK("x")' },
    ]);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(driftCsv(compliance).split('\r\n')[0]).toBe(
      'module,environment,drifted since,drifted for,resources',
    );
  });
});

describe('groupWaivers', () => {
  it('keeps every decision on record and counts a fresh approval as active', () => {
    const now = new Date('2026-01-10T00:00:00Z');
    const base = compliance.waivers[1];
    const groups = groupWaivers(
      [
        {
          ...base,
          id: 'a',
          status: 'approved',
          expiresAt: '2026-01-09T00:00:00Z',
        },
        {
          ...base,
          id: 'b',
          status: 'approved',
          expiresAt: '2026-01-20T00:00:00Z',
        },
        {
          ...base,
          id: 'c',
          status: 'approved',
          expiresAt: '2026-03-01T00:00:00Z',
        },
        {
          ...base,
          id: 'd',
          status: 'rejected',
          expiresAt: '2026-03-01T00:00:00Z',
        },
        {
          ...base,
          id: 'e',
          status: 'withdrawn',
          expiresAt: '2026-03-01T00:00:00Z',
        },
        {
          ...base,
          id: 'f',
          status: 'pending',
          expiresAt: '2026-03-01T00:00:00Z',
        },
      ],
      now,
    );
    expect(groups.pending.map(w => w.id)).toEqual(['f']);
    expect(groups.active.map(w => w.id)).toEqual(['b', 'c']);
    expect(groups.expiringSoon.map(w => w.id)).toEqual(['b']);
    expect(groups.decided.map(w => w.id).sort()).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
    expect(groups.decided.find(w => w.id === 'a')?.status).toBe('expired');
  });
});

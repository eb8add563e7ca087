import { compliance } from '../../__testUtils__/fixtures';
import { buildComplianceCsv } from './complianceCsv';
import { groupWaivers } from './waivers';

describe('buildComplianceCsv', () => {
  it('writes every section in long form', () => {
    const now = new Date();
    const csv = buildComplianceCsv(
      compliance,
      groupWaivers(compliance.waivers, now),
    );
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('section,item,field,value');
    expect(lines).toContain('KPI,totals,modules,2');
    expect(lines).toContain('Violations by severity,critical,failed,1');
    expect(lines).toContain(
      'Violations by rule,gpu_nodes_encrypted,control,SC-28',
    );
    expect(lines).toContain(
      'Violations by owner,group:default/ml-platform,modules,1',
    );
    expect(lines).toContain(
      'Untested release,component:default/gpu-training-cluster@1.3.1,tests,unknown',
    );
    expect(lines).toContain('Waiver expiring soon,w-approved,status,approved');
    expect(lines).toContain('Waiver expired,w-expired,rule,tags_mandatory');
    expect(lines).toContain('Trend,2026-11-25,drifted,1');
  });

  it('quotes commas and quotes and defuses formulas', () => {
    const csv = buildComplianceCsv(
      {
        ...compliance,
        byOwner: [
          {
            owner: '=HYPERLINK("x"), evil',
            failed: 1,
            warned: 0,
            waived: 0,
            modules: 1,
          },
        ],
      },
      { pending: [], expiringSoon: [], active: [], expired: [] },
    );
    expect(csv).toContain(
      `Violations by owner,"'=HYPERLINK(""x""), evil",failed,1`,
    );
  });
});

describe('groupWaivers', () => {
  it('treats an approved waiver past its expiry as expired', () => {
    const now = new Date('2026-01-10T00:00:00Z');
    const base = compliance.waivers[1];
    const groups = groupWaivers(
      [
        { ...base, id: 'a', expiresAt: '2026-01-09T00:00:00Z' },
        { ...base, id: 'b', expiresAt: '2026-01-20T00:00:00Z' },
        { ...base, id: 'c', expiresAt: '2026-03-01T00:00:00Z' },
      ],
      now,
    );
    expect(groups.expired.map(w => w.id)).toEqual(['a']);
    expect(groups.expiringSoon.map(w => w.id)).toEqual(['b']);
    expect(groups.active.map(w => w.id)).toEqual(['c']);
  });
});

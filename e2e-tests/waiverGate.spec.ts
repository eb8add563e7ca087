import { APIRequestContext, expect, test } from '@playwright/test';
import { backendUrl, ciToken, saveScreenshot, signInAsGuest } from './helpers';

/**
 * A waiver's whole life as the promotion gate sees it, on the running portal: the module's
 * pipeline asks for a time-boxed exception to a failing critical rule for one version in staging;
 * a member of governance (the guest) approves it on the governance page; the gate's policy
 * check opens; the waiver reaches its expiry on the real clock and the gate closes again.
 *
 * The request comes from the module's CI identity (the local CI token, scoped to the demo teams'
 * modules), not from a second person: the embedded default signs in one person, the guest, and
 * nobody approves their own request. The expiry is real time, not a moved clock: the waiver is
 * made short-lived and the test waits for the gate to change, within a generous bound.
 */

const MODULE = 'component:default/model-serving-endpoint';
const RULE = 'ML-NET-001';
const VERSION = '2.2.0';
const ENVIRONMENT = 'staging';
/** Long enough for the approval on a busy machine, short enough to wait for. */
const LIFETIME_MS = 240_000;

interface GateReason {
  check: string;
  ok: boolean;
  message: string;
}

async function policyReason(request: APIRequestContext): Promise<GateReason> {
  const response = await request.get(
    `${backendUrl}/api/ml-infra/gates/promotion?entityRef=${MODULE}&version=${VERSION}&environment=${ENVIRONMENT}`,
    { headers: { Authorization: `Bearer ${ciToken}` } },
  );
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { reasons: GateReason[] };
  return body.reasons.find(r => r.check === 'policy')!;
}

test('a waiver opens the gate while it lives and the gate closes when it expires', async ({
  page,
  request,
}) => {
  test.setTimeout(LIFETIME_MS + 780_000);

  // On a cold start the dev server may still be bundling the app: wait for the first page, within
  // a generous bound, before anything time-boxed begins.
  await expect(async () => {
    await page.goto('/', { timeout: 60_000 });
  }).toPass({ timeout: 300_000, intervals: [5_000] });
  await signInAsGuest(page);

  // The seeded failing critical rule holds the gate shut.
  const before = await policyReason(request);
  expect(before).toMatchObject({
    ok: false,
    message: expect.stringContaining(RULE),
  });

  const justification = `e2e ${Date.now()}: private link for ${VERSION} ships next sprint`;
  const expiresAt = new Date(Date.now() + LIFETIME_MS).toISOString();
  const created = await request.post(`${backendUrl}/api/ml-infra/waivers`, {
    headers: { Authorization: `Bearer ${ciToken}` },
    data: {
      entityRef: MODULE,
      rule: RULE,
      environment: ENVIRONMENT,
      version: VERSION,
      justification,
      expiresAt,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const waiver = (await created.json()) as { id: string; status: string };
  expect(waiver.status).toBe('pending');
  // A request does not open the gate.
  expect((await policyReason(request)).ok).toBe(false);

  // Governance decides it on the governance page.
  await page.goto('/ml-infra/compliance');
  const row = page.getByTestId(`waiver-row-${waiver.id}`).first();
  await expect(row).toContainText(justification);
  await row.getByRole('button', { name: /^Approve waiver/ }).click();
  await page
    .getByRole('dialog', { name: /^Approve waiver for/ })
    .getByRole('button', { name: 'Approve' })
    .click();
  await expect(
    page
      .getByTestId(`waiver-row-${waiver.id}`)
      .first()
      .getByRole('button', { name: /^Revoke waiver/ }),
  ).toBeVisible();
  await saveScreenshot(page, 'waiver-approved');

  // The gate's policy check opens for that version and environment.
  const open = await policyReason(request);
  expect(open).toMatchObject({
    ok: true,
    message: expect.stringContaining('waived'),
  });

  // At its expiry the waiver stops applying, without anyone acting: the gate closes again.
  await expect
    .poll(async () => (await policyReason(request)).ok, {
      timeout: LIFETIME_MS + 180_000,
      intervals: [5_000],
    })
    .toBe(false);
  expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
  expect((await policyReason(request)).message).toContain(RULE);

  const listed = await request.get(
    `${backendUrl}/api/ml-infra/waivers?entityRef=${MODULE}`,
    {
      headers: { Authorization: `Bearer ${ciToken}` },
    },
  );
  const stored = (
    (await listed.json()) as {
      items: Array<{ id: string; status: string; decidedBy?: string }>;
    }
  ).items.find(w => w.id === waiver.id);
  expect(stored).toMatchObject({
    status: 'expired',
    decidedBy: 'user:default/guest',
  });
});

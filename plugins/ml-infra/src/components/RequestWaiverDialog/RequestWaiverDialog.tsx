import { FormEvent, useMemo, useState } from 'react';
import { configApiRef, useApi, useRouteRef } from '@backstage/core-plugin-api';
import { Link } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { DateTime } from 'luxon';
import {
  DEFAULT_WAIVER_MAX_DAYS,
  PolicyResult,
  sameWaiverScope,
  STANDING_WAIVER_STATUSES,
  Waiver,
  WaiverRequest,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { mlInfraApiRef } from '../../api';
import { useEnvironments } from '../../hooks/useEnvironments';
import { complianceRouteRef } from '../../routes';
import { useWaiverCall } from '../../hooks/useWaiverCall';

export interface RequestWaiverDialogProps {
  entityRef: string;
  /**
   * The module's policy results: the rule is chosen among those that fail. A warning never blocks
   * the gate, so the server refuses a waiver for it.
   */
  results: PolicyResult[];
  /** Waivers of the module, to point at a request that already covers the choice. */
  waivers: Waiver[];
  /** Preselects the result the waiver is for. */
  initial?: Partial<Pick<WaiverRequest, 'rule' | 'environment' | 'resource'>>;
  onClose: () => void;
  onRequested: (waiver: Waiver) => void;
}

const DEFAULT_DAYS = 30;
const ALL = '';

/** One part of a waiver's scope: a single value, or all of them (`ALL`); disabled with none. */
const ScopeSelect = ({
  id,
  label,
  all,
  value,
  onChange,
  options,
  helperText,
}: {
  id: string;
  label: string;
  /** The label of the option that covers every value. */
  all: string;
  value: string;
  onChange: (value: string) => void;
  options: Array<{ value: string; label: string }>;
  helperText?: string;
}) => (
  <TextField
    id={id}
    select
    label={label}
    value={value}
    onChange={e => onChange(e.target.value)}
    fullWidth
    margin="dense"
    disabled={options.length === 0}
    helperText={helperText}
  >
    <MenuItem value={ALL}>{all}</MenuItem>
    {options.map(o => (
      <MenuItem key={o.value} value={o.value}>
        {o.label}
      </MenuItem>
    ))}
  </TextField>
);

/** Asks governance for a time-boxed waiver of one failing rule of this module. */
export const RequestWaiverDialog = (props: RequestWaiverDialogProps) => {
  const { entityRef, results, waivers, initial, onClose, onRequested } = props;
  const api = useApi(mlInfraApiRef);
  const config = useApi(configApiRef);
  const complianceLink = useRouteRef(complianceRouteRef)();
  const environments = useEnvironments();
  const maxDays =
    config.getOptionalNumber('mlInfra.waivers.maxDurationDays') ??
    DEFAULT_WAIVER_MAX_DAYS;

  const failing = useMemo(
    () => results.filter(r => r.rawOutcome === 'failed'),
    [results],
  );
  const rules = useMemo(() => {
    const byRule = new Map<string, PolicyResult>();
    for (const result of failing) {
      if (!byRule.has(result.rule)) byRule.set(result.rule, result);
    }
    return [...byRule.values()].sort((a, b) => a.rule.localeCompare(b.rule));
  }, [failing]);

  const [rule, setRule] = useState(
    initial?.rule && rules.some(r => r.rule === initial.rule)
      ? initial.rule
      : rules[0]?.rule ?? '',
  );
  const [environment, setEnvironment] = useState(initial?.environment ?? ALL);
  const [resource, setResource] = useState(initial?.resource ?? ALL);
  const [justification, setJustification] = useState('');
  const today = DateTime.now().startOf('day');
  const latest = today.plus({ days: maxDays - 1 });
  const [expiresOn, setExpiresOn] = useState(
    today.plus({ days: Math.min(DEFAULT_DAYS, maxDays - 1) }).toISODate()!,
  );
  const { busy, run, refusal } = useWaiverCall(onRequested);

  const resources = [
    ...new Set(
      failing.filter(r => r.rule === rule && r.resource).map(r => r.resource!),
    ),
  ].sort();
  const failsIn = new Set(
    failing.filter(r => r.rule === rule).map(r => r.environment),
  );

  const expiry = DateTime.fromISO(expiresOn);
  const expiryProblem = (() => {
    if (!expiry.isValid) return 'Pick a date';
    if (expiry < today) return 'The date has passed';
    if (expiry > latest) {
      return `Waivers last at most ${maxDays} days: pick ${latest.toLocaleString(
        DateTime.DATE_MED,
      )} or earlier`;
    }
    return undefined;
  })();

  const existing = waivers.find(
    w =>
      STANDING_WAIVER_STATUSES.includes(w.status) &&
      sameWaiverScope(w, {
        entityRef,
        rule,
        environment: environment || undefined,
        resource: resource || undefined,
      }),
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(
      () =>
        api.requestWaiver({
          entityRef,
          rule,
          environment: environment || undefined,
          resource: resource || undefined,
          justification: justification.trim(),
          // Valid through the chosen day, in the requester's time zone.
          expiresAt: expiry.endOf('day').toUTC().toISO()!,
        }),
      `Waiver for ${rule} requested; governance decides it`,
    );
  };

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby="request-waiver-title"
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="request-waiver-title">Request waiver</DialogTitle>
        <DialogContent>
          <DialogContentText>
            A waiver lets a failing rule pass the promotion gate until it
            expires. Someone in governance other than you approves it; the
            result is shown as waived, never as passed.
          </DialogContentText>
          {rules.length === 0 ? (
            <DialogContentText role="status">
              No rule fails on this module: there is nothing to waive.
            </DialogContentText>
          ) : (
            <>
              <TextField
                id="waiver-rule"
                select
                label="Rule"
                value={rule}
                onChange={e => {
                  setRule(e.target.value);
                  setResource(ALL);
                }}
                required
                fullWidth
                margin="dense"
                helperText="Rules that fail on this module"
              >
                {rules.map(r => (
                  <MenuItem key={r.rule} value={r.rule}>
                    {r.rule} · {r.severity}
                    {r.control ? ` · ${r.control}` : ''}
                  </MenuItem>
                ))}
              </TextField>
              <ScopeSelect
                id="waiver-environment"
                label="Environment"
                all="All environments"
                value={environment}
                onChange={setEnvironment}
                options={environments.map(env => ({
                  value: env,
                  label: failsIn.has(env) ? `${env} (fails here)` : env,
                }))}
              />
              <ScopeSelect
                id="waiver-resource"
                label="Resource"
                all="All resources"
                value={resource}
                onChange={setResource}
                options={resources.map(r => ({ value: r, label: r }))}
                helperText={
                  resources.length === 0
                    ? 'The results of this rule name no resource'
                    : undefined
                }
              />
              <TextField
                id="waiver-justification"
                label="Justification"
                value={justification}
                onChange={e => setJustification(e.target.value)}
                required
                multiline
                minRows={3}
                fullWidth
                margin="dense"
                helperText="Why the rule cannot be met yet, and the plan to meet it"
              />
              <TextField
                id="waiver-expires"
                label="Expires on"
                type="date"
                value={expiresOn}
                onChange={e => setExpiresOn(e.target.value)}
                required
                fullWidth
                margin="dense"
                error={!!expiryProblem}
                helperText={
                  expiryProblem ??
                  `At most ${maxDays} days, until ${latest.toLocaleString(
                    DateTime.DATE_MED,
                  )}`
                }
                InputLabelProps={{ shrink: true }}
                inputProps={{
                  min: today.toISODate(),
                  max: latest.toISODate(),
                }}
              />
            </>
          )}
          {existing && (
            <DialogContentText role="alert" data-testid="waiver-duplicate">
              A {existing.status} waiver already covers this rule and scope:{' '}
              <Link to={`${complianceLink}#waiver-${existing.id}`}>
                see the {existing.status} waiver
              </Link>
              .
            </DialogContentText>
          )}
          {refusal}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={
              busy ||
              !rule ||
              !justification.trim() ||
              !!expiryProblem ||
              !!existing
            }
          >
            Request waiver
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};

import { Fragment, ReactNode, useState } from 'react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import {
  mlInfraWaiverApprovePermission,
  mlInfraWaiverRevokePermission,
  Waiver,
  waiverExpiryApplies,
} from '@ml-infra-portal/plugin-ml-infra-common';
import { useViewerRef } from '../../hooks/useViewerRef';
import { ActorLink } from '../ActorLink';
import { RelativeTime } from '../RelativeTime';
import { StatusChip } from '../StatusChip';
import { WaiverDecision, WaiverDecisionDialog } from '../WaiverDecisionDialog';
import { useWaiverHistoryFolds } from '../WaiverHistory';
import { isExpiringSoon } from './waivers';

export interface WaiverTableProps {
  title: string;
  waivers: Waiver[];
  /** Pending requests, active approvals, or the record of decisions. */
  variant: 'pending' | 'active' | 'decided';
  emptyText: string;
  onChanged: () => void;
}

const scopeOf = (waiver: Waiver) =>
  [waiver.environment, waiver.resource].filter(Boolean).join(' · ') ||
  'All environments';

/** The expiry a reader can act on; a rejected, withdrawn or revoked waiver has none. */
export const WaiverExpiry = ({ waiver }: { waiver: Waiver }) =>
  waiverExpiryApplies(waiver.status) || waiver.status === 'expired' ? (
    <RelativeTime value={waiver.expiresAt} />
  ) : (
    <>—</>
  );

/** Who decided, when, and what they said. */
export const WaiverDecisionCell = ({ waiver }: { waiver: Waiver }) =>
  waiver.decidedBy ? (
    <>
      <ActorLink actor={waiver.decidedBy} />,{' '}
      <RelativeTime value={waiver.decidedAt} />
      {waiver.decisionComment && (
        <Typography variant="caption" component="div">
          “{waiver.decisionComment}”
        </Typography>
      )}
    </>
  ) : (
    <>—</>
  );

/**
 * Waivers with the decisions the current user may take. The backend enforces the same rules;
 * a button the viewer may not use is disabled with the reason, never silently missing.
 */
export const WaiverTable = ({
  title,
  waivers,
  variant,
  emptyText,
  onChanged,
}: WaiverTableProps) => {
  const viewer = useViewerRef();
  const { allowed: canApprove } = usePermission({
    permission: mlInfraWaiverApprovePermission,
  });
  const { allowed: canRevoke } = usePermission({
    permission: mlInfraWaiverRevokePermission,
  });
  const historyFolds = useWaiverHistoryFolds(`waiver-history-row-${variant}-`);
  const [confirming, setConfirming] = useState<{
    waiver: Waiver;
    decision: WaiverDecision;
  }>();

  const action = (
    waiver: Waiver,
    decision: WaiverDecision,
    label: string,
    disabledReason?: string,
  ) => {
    const button = (
      <Button
        size="small"
        variant={decision === 'approve' ? 'contained' : 'outlined'}
        color={decision === 'approve' ? 'primary' : 'default'}
        disabled={!!disabledReason}
        onClick={() => setConfirming({ waiver, decision })}
        data-testid={`${decision}-waiver-${waiver.id}`}
        aria-label={`${label} waiver ${waiver.rule} for ${waiver.entityRef}`}
      >
        {label}
      </Button>
    );
    return disabledReason ? (
      <Tooltip key={decision} title={disabledReason}>
        {/* A disabled button fires no events; the span carries the tooltip. */}
        <span aria-label={disabledReason} role="note">
          {button}
        </span>
      </Tooltip>
    ) : (
      <Fragment key={decision}>{button}</Fragment>
    );
  };

  const actionsOf = (waiver: Waiver): ReactNode[] => {
    const mine = viewer !== undefined && waiver.requestedBy === viewer;
    if (waiver.status === 'pending') {
      const buttons: ReactNode[] = [];
      if (canApprove) {
        const reason = mine
          ? 'You requested this waiver: someone else in governance must decide it'
          : undefined;
        buttons.push(action(waiver, 'approve', 'Approve', reason));
        buttons.push(action(waiver, 'reject', 'Reject', reason));
      }
      if (mine) {
        buttons.push(action(waiver, 'withdraw', 'Withdraw'));
      }
      return buttons;
    }
    if (waiver.status === 'approved' && canRevoke && variant === 'active') {
      return [action(waiver, 'revoke', 'Revoke')];
    }
    return [];
  };

  const showActions = variant !== 'decided';
  const columns = 9;

  return (
    <Box mb={3}>
      <Typography variant="h6" component="h3" gutterBottom>
        {title} ({waivers.length})
      </Typography>
      {waivers.length === 0 ? (
        <Typography color="textSecondary">{emptyText}</Typography>
      ) : (
        <Table size="small" aria-label={title}>
          <TableHead>
            <TableRow>
              <TableCell>Module</TableCell>
              <TableCell>Rule</TableCell>
              <TableCell>Scope</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Requested</TableCell>
              <TableCell>
                {variant === 'decided' ? 'Decision' : 'Expires'}
              </TableCell>
              <TableCell>
                {variant === 'decided' ? 'Expires' : 'Justification'}
              </TableCell>
              {variant === 'decided' && <TableCell>Justification</TableCell>}
              {showActions && <TableCell>Actions</TableCell>}
              <TableCell>History</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {waivers.map(waiver => (
              <Fragment key={waiver.id}>
                <TableRow
                  data-testid={`waiver-row-${waiver.id}`}
                  id={`waiver-${waiver.id}`}
                >
                  <TableCell>
                    <EntityRefLink entityRef={waiver.entityRef} hideIcon />
                  </TableCell>
                  <TableCell>
                    <code>{waiver.rule}</code>
                  </TableCell>
                  <TableCell>{scopeOf(waiver)}</TableCell>
                  <TableCell>
                    <StatusChip subject="Waiver" status={waiver.status} />
                    {variant === 'active' && isExpiringSoon(waiver) && (
                      <Box mt={0.5}>
                        <StatusChip subject="Waiver" status="expiring" />
                      </Box>
                    )}
                  </TableCell>
                  <TableCell>
                    <ActorLink actor={waiver.requestedBy} />,{' '}
                    <RelativeTime value={waiver.requestedAt} />
                  </TableCell>
                  {variant === 'decided' ? (
                    <>
                      <TableCell>
                        <WaiverDecisionCell waiver={waiver} />
                      </TableCell>
                      <TableCell>
                        <WaiverExpiry waiver={waiver} />
                      </TableCell>
                    </>
                  ) : (
                    <>
                      <TableCell>
                        <WaiverExpiry waiver={waiver} />
                      </TableCell>
                      <TableCell>{waiver.justification}</TableCell>
                    </>
                  )}
                  {variant === 'decided' && (
                    <TableCell>{waiver.justification}</TableCell>
                  )}
                  {showActions && (
                    <TableCell>
                      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
                        {actionsOf(waiver)}
                      </Box>
                    </TableCell>
                  )}
                  <TableCell>{historyFolds.toggle(waiver)}</TableCell>
                </TableRow>
                {historyFolds.row(waiver, columns)}
              </Fragment>
            ))}
          </TableBody>
        </Table>
      )}
      {confirming && (
        <WaiverDecisionDialog
          waiver={confirming.waiver}
          decision={confirming.decision}
          onClose={() => setConfirming(undefined)}
          onDecided={() => {
            setConfirming(undefined);
            onChanged();
          }}
        />
      )}
    </Box>
  );
};

import { InfoCard, MarkdownContent } from '@backstage/core-components';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type { ModuleVersion } from '@ml-infra-portal/plugin-ml-infra-common';
import { RelativeTime } from '../RelativeTime';
import { StatusChip } from '../StatusChip';

/** Per version: what its tests and policies said, and what changed. */
export const VersionEvidence = ({
  versions,
}: {
  versions: ModuleVersion[];
}) => (
  <InfoCard title="Versions and their evidence">
    {versions.map((version, index) => (
      <Accordion
        key={version.version}
        defaultExpanded={index === 0}
        data-testid={`version-${version.version}`}
      >
        <AccordionSummary
          expandIcon={<ExpandMoreIcon />}
          aria-controls={`version-${version.version}-details`}
        >
          <Box
            display="flex"
            alignItems="center"
            flexWrap="wrap"
            style={{ gap: 8 }}
          >
            <Typography variant="subtitle1" component="h3">
              {version.version}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              released <RelativeTime value={version.releasedAt} />
            </Typography>
            <StatusChip
              subject="Tests"
              status={version.tests}
              label={`Tests ${version.tests}`}
            />
            <StatusChip
              subject="Policy"
              status={version.policy}
              label={`Policy ${version.policy}`}
            />
            {version.environments.length > 0 && (
              <Typography variant="body2">
                runs in {version.environments.join(', ')}
              </Typography>
            )}
          </Box>
        </AccordionSummary>
        <AccordionDetails id={`version-${version.version}-details`}>
          <Grid container spacing={2}>
            <Grid item xs={12} md={4}>
              <Typography variant="overline">Tests</Typography>
              {version.testTotals ? (
                <Typography variant="body2" data-testid="test-totals">
                  {version.testTotals.passed} passed,{' '}
                  {version.testTotals.failed} failed,{' '}
                  {version.testTotals.skipped} skipped of{' '}
                  {version.testTotals.total}
                </Typography>
              ) : (
                <Typography variant="body2" color="textSecondary">
                  No test run reported for this version
                </Typography>
              )}
              <Typography variant="overline" component="p">
                Policy
              </Typography>
              <Typography variant="body2" data-testid="policy-counts">
                {version.policyCounts.failed} failed,{' '}
                {version.policyCounts.warned} warned,{' '}
                {version.policyCounts.waived} waived,{' '}
                {version.policyCounts.passed} passed
              </Typography>
              {version.gitSha && (
                <Typography variant="body2" color="textSecondary">
                  commit <code>{version.gitSha}</code>
                </Typography>
              )}
            </Grid>
            <Grid item xs={12} md={8}>
              <Typography variant="overline">Changelog</Typography>
              {version.changelog ? (
                <MarkdownContent content={version.changelog} />
              ) : (
                <Typography variant="body2" color="textSecondary">
                  No changelog
                </Typography>
              )}
            </Grid>
          </Grid>
        </AccordionDetails>
      </Accordion>
    ))}
  </InfoCard>
);

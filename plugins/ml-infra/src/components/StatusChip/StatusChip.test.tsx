import { render, screen } from '@testing-library/react';
import { ThemeProvider } from '@material-ui/core/styles';
import { lightTheme } from '@backstage/theme';
import { StatusChip } from './StatusChip';

const renderChip = (element: JSX.Element) =>
  render(<ThemeProvider theme={lightTheme}>{element}</ThemeProvider>);

describe('StatusChip', () => {
  it('shows text and an icon, and names its subject for screen readers', () => {
    renderChip(<StatusChip status="waived" subject="Outcome" />);
    const chip = screen.getByLabelText('Outcome: Waived');
    expect(chip).toHaveTextContent('Waived');
    expect(chip.querySelector('svg')).not.toBeNull();
  });

  it('falls back to unknown for statuses it does not know', () => {
    renderChip(<StatusChip status="mystery" />);
    expect(screen.getByText('Unknown')).toBeInTheDocument();
  });
});

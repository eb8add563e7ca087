import { render, screen } from '@testing-library/react';
import { RelativeTime } from './RelativeTime';

describe('RelativeTime', () => {
  it('shows a relative date and carries the exact time', () => {
    const iso = new Date(Date.now() - 3 * 86400_000).toISOString();
    render(<RelativeTime value={iso} />);
    const time = screen.getByText('3 days ago');
    expect(time.tagName).toBe('TIME');
    expect(time).toHaveAttribute('datetime', iso);
    expect(time.getAttribute('aria-label')).toMatch(/\d{4}/);
  });

  it('shows a fallback without a date', () => {
    render(<RelativeTime fallback="never" />);
    expect(screen.getByText('never')).toBeInTheDocument();
  });
});

import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// CI runs on a busy 2-core machine: wait for conditions up to a generous bound, not the 1 s default.
configure({ asyncUtilTimeout: 30_000 });

/**
 * The benchmark's goals (docs/benchmarks.md): one line each with the measured value, the goal
 * and ok / MISS, so a run answers "are we there" at a glance.
 */

export interface Goal {
  name: string;
  /** Measured value as printed, or undefined when the run did not measure it. */
  measured?: string;
  goal: string;
  ok?: boolean;
}

export function atLeast(
  name: string,
  value: number | undefined,
  min: number,
  digits = 2,
): Goal {
  return measuredGoal(name, value, `>= ${min}`, v => v >= min, digits);
}

export function atMost(
  name: string,
  value: number | undefined,
  max: number,
  unit: string,
  digits = 1,
): Goal {
  return measuredGoal(
    name,
    value,
    `<= ${max} ${unit}`,
    v => v <= max,
    digits,
    unit,
  );
}

function measuredGoal(
  name: string,
  value: number | undefined,
  goal: string,
  test: (v: number) => boolean,
  digits: number,
  unit = '',
): Goal {
  if (value === undefined || !Number.isFinite(value)) {
    return { name, goal };
  }
  return {
    name,
    measured: `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`,
    goal,
    ok: test(value),
  };
}

/** `goal  measured  target  ok|MISS`, aligned; unmeasured goals say so. */
export function formatGoals(goals: Goal[]): string[] {
  const verdict = (g: Goal) =>
    g.ok === undefined ? 'not measured' : g.ok ? 'ok' : 'MISS';
  const width = (f: (g: Goal) => string) =>
    Math.max(...goals.map(g => f(g).length));
  const wName = width(g => g.name);
  const wMeasured = width(g => g.measured ?? '-');
  const wGoal = width(g => g.goal);
  return goals.map(
    g =>
      `${g.name.padEnd(wName)}  ${(g.measured ?? '-').padStart(
        wMeasured,
      )}  goal ${g.goal.padEnd(wGoal)}  ${verdict(g)}`,
  );
}

/** What `conftest test --output json` prints for one checked file, plan.json. */
export function conftestOutput(result: {
  namespace: string;
  successes: number;
  failures: object[];
  warnings?: object[];
}) {
  return JSON.stringify([{ filename: 'plan.json', ...result }]);
}

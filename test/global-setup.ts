/**
 * Builds dist/ once before any test file runs, so the integration and browser tests always
 * exercise the bundle made from the sources under test, never a stale one.
 */
import { build, checkBudget } from '../scripts/build.mjs';

export default async function setup(): Promise<void> {
  const { files } = await build();
  const { lines, failures } = checkBudget(files);
  console.log(`Built dist/ for the tests:\n  ${lines.join('\n  ')}`);
  if (failures.length > 0) throw new Error(`Bundle budget exceeded: ${failures.join(', ')}`);
}

/**
 * The fault suite's teardown: prints every scenario's row as one table (with the seed and
 * the date, as docs/reliability.md records it), then stops the run's Temporal server.
 */
import globalTeardown from '../helpers/global-teardown';
import { testTemporalState } from '../helpers/temporal';
import { formatTable, readRows, rowsFile } from './table';

export default async function faultsTeardown(): Promise<void> {
  const { stateDir } = testTemporalState();
  const rows = stateDir ? readRows(rowsFile(stateDir)) : [];
  if (rows.length > 0) {
    const seeds = [...new Set(rows.map((r) => r.seed))].join(', ');
    process.stdout.write(`\nfault suite, seed ${seeds}, ${new Date().toISOString()}\n\n${formatTable(rows)}\n\n`);
  }
  await globalTeardown();
}

/**
 * Child process for the projection crash test: runs the API's projections over an existing event
 * store file into a read-model file, in small batches, printing each committed checkpoint.
 */
import { DEFAULT_NOTIFICATION_POLICY } from '@duban/domain';
import { SqliteEventStore } from '@duban/event-store';
import { ProjectionRunner } from '@duban/projections';
import { unitsProjection } from '../../apps/api/src/read-model/units.projection';
import { issuesProjection } from '../../apps/api/src/read-model/issues.projection';
import { inboxProjection } from '../../apps/api/src/read-model/inbox.projection';

const [eventsFile, readModelFile] = process.argv.slice(2);
const store = new SqliteEventStore({ file: eventsFile });
const runner = new ProjectionRunner({
  store,
  file: readModelFile,
  projections: [unitsProjection, issuesProjection, inboxProjection(DEFAULT_NOTIFICATION_POLICY)],
  batchSize: 20,
  onBatch: ({ position }) => process.stdout.write(`checkpoint ${position}\n`),
});
void runner.start();

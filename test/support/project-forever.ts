/**
 * Child process for the projection crash test: runs the API's projections over an existing event
 * store file into a read-model file, in small batches, printing each committed checkpoint.
 */
import { DEFAULT_NOTIFICATION_POLICY } from '@duban/domain';
import { SqliteEventStore } from '@duban/event-store';
import { ProjectionRunner, readModelProjections } from '@duban/projections';

const [eventsFile, readModelFile] = process.argv.slice(2);
const store = new SqliteEventStore({ file: eventsFile });
const runner = new ProjectionRunner({
  store,
  file: readModelFile,
  projections: readModelProjections({ notificationPolicy: DEFAULT_NOTIFICATION_POLICY, tzAgency: 'Asia/Shanghai' }),
  batchSize: 20,
  onBatch: ({ position }) => process.stdout.write(`checkpoint ${position}\n`),
});
void runner.start();

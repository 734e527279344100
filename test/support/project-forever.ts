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
  batchSize: 10,
  onBatch: ({ position }) => {
    process.stdout.write(`checkpoint ${position}\n`);
    // a slow projector, so the test's SIGKILL lands mid-catch-up however fast this machine is
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  },
});
void runner.start();

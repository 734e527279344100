/**
 * Emmett's append runs, isolated in their own process: under many writers its SQLite store
 * fails appends with SQLITE_BUSY, leaves some unsettled, and can emit unhandled 'error' events.
 * Prints progress lines "ok failed elapsedMs" so the parent can report what completed.
 */
import { getSQLiteEventStore } from '@event-driven-io/emmett-sqlite';
import { randomUUID } from 'node:crypto';

const [file, writersArg, perWriterArg] = process.argv.slice(2);
const writers = Number(writersArg);
const perWriter = Number(perWriterArg);
console.error = console.log = console.warn = () => undefined;
process.on('uncaughtException', () => undefined);
process.on('unhandledRejection', () => undefined);

void (async () => {
  const store = getSQLiteEventStore({ fileName: file, schema: { autoMigration: 'CreateOrUpdate' } });
  await store.appendToStream('warm-up', [{ type: 'W', data: {} }]);
  let ok = 0;
  let failed = 0;
  const start = Date.now();
  const report = () => process.stdout.write(`${ok} ${failed} ${Date.now() - start}\n`);
  const timer = setInterval(report, 250);
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < perWriter; i++) {
        try {
          await store.appendToStream(`issue-${w}`, [
            {
              type: 'IssueRegistered',
              data: { i, title: '窗口单位办事推诿扯皮'.repeat(10) },
              metadata: { correlationId: randomUUID() },
            },
          ]);
          ok++;
        } catch {
          failed++;
        }
      }
    }),
  );
  clearInterval(timer);
  report();
  process.stdout.write('done\n');
})();

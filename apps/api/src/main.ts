import 'reflect-metadata';
import { ConfigError, loadConfigOrExit } from '@duban/config';
import { createLogger } from '@duban/common';
import { createApp } from './create-app';
import { checkPersonalDataKey } from '@duban/application/personal-data';

async function main(): Promise<void> {
  const config = loadConfigOrExit('duban-api');
  // PIPL: a wrong PERSONAL_DATA_KEY stops here, in one line, before anything starts
  await checkPersonalDataKey(config);
  const logger = createLogger({ name: 'duban-api', level: config.logLevel });
  const app = await createApp(config, logger);
  // A hard stop if in-flight work does not finish in time after SIGTERM/SIGINT.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref());
  }
  await app.listen(config.port, config.host);
  logger.info(
    {
      port: config.port,
      dataDir: config.dataDir,
      eventStore: config.databaseUrl ? 'postgres' : config.eventStoreConnectionString ? 'eventstoredb' : 'embedded',
    },
    'duban api listening',
  );
}

main().catch((error) => {
  // a configuration error is one line naming the variable; anything else keeps its stack
  const detail = error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error));
  process.stderr.write(`duban-api: failed to start: ${detail}\n`);
  process.exit(1);
});

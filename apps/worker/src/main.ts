import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@duban/config';
import { createLogger, Metrics, PinoNestLogger } from '@duban/common';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`duban-worker: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ name: 'duban-worker', level: config.logLevel });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, logger, new Metrics('worker')), {
    logger: new PinoNestLogger(logger),
  });
  app.enableShutdownHooks();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref());
  }
  await app.init();
  logger.info({ dataDir: config.dataDir }, 'duban worker ready');
}

main().catch((error) => {
  process.stderr.write(`duban-worker: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfigOrExit } from '@duban/config';
import { createLogger, Metrics, PinoNestLogger } from '@duban/common';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit('duban-worker');
  const logger = createLogger({ name: 'duban-worker', level: config.logLevel });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, logger, new Metrics('worker')), {
    logger: new PinoNestLogger(logger),
  });
  // process.exit (not a re-sent signal) once the hooks ran: exit code 0 after a graceful stop
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref());
  }
  await app.init();
  logger.info({ dataDir: config.dataDir }, 'duban worker ready');
}

main().catch((error) => {
  // a configuration error is one line naming the variable; anything else keeps its stack
  const detail = error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error));
  process.stderr.write(`duban-worker: failed to start: ${detail}\n`);
  process.exit(1);
});

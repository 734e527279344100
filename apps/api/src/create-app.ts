import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import pinoHttp from 'pino-http';
import { createLogger, Logger, Metrics, PinoNestLogger } from '@duban/common';
import type { DubanConfig } from '@duban/config';
import { AppModule } from './app.module';
import { redactingSerializers } from './auth/log-redaction';
import { correlationMiddleware } from './http/correlation.middleware';
import { buildOpenApiDocument } from './http/openapi';
import { httpMetricsMiddleware } from './http/http-metrics.middleware';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { createValidationPipe } from './http/validation';
import { requireJsonBody } from './http/require-json-body.middleware';
import { mountQueueBoard } from './queues/queue-board';
import { ReadModelService } from './read-model/read-model.service';
import { settledReads } from './read-model/settled-reads.middleware';

export const API_PREFIX = 'api/v1';
/** Routes a probe or a scraper calls at the root, without the API prefix; public disclosure has its own (/public/v1). */
export const UNPREFIXED_ROUTES = ['health', 'metrics', 'public/v1/{*path}'];

/** Keys that could reach an object's prototype are refused at parse time, whatever the endpoint. */
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__' || key === 'constructor' || key === 'prototype')
    throw new SyntaxError(`the key "${key}" is not allowed`);
  return value;
}

/** Builds the configured API application (used by main.ts and by the e2e tests). */
export async function createApp(
  config: DubanConfig,
  logger: Logger = createLogger({ name: 'duban-api', level: config.logLevel }),
  extraModules: Parameters<typeof AppModule.forRoot>[3] = [],
): Promise<NestExpressApplication> {
  const metrics = new Metrics('api');
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, logger, metrics, extraModules),
    {
      logger: new PinoNestLogger(logger),
      bodyParser: false,
      abortOnError: false,
    },
  );
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(correlationMiddleware);
  // The request log is written at info. pino-http builds two child loggers per request, serialising the whole
  // request into the second at once, whether or not the line is written: above info it is not mounted at all.
  if (logger.isLevelEnabled('info'))
    app.use(
      pinoHttp({
        logger,
        genReqId: (req) => (req as { id?: string }).id ?? '',
        quietReqLogger: true,
        customAttributeKeys: { reqId: 'correlationId' },
        serializers: redactingSerializers,
      }),
    );
  app.use(httpMetricsMiddleware(metrics));
  app.use(settledReads(app.get(ReadModelService), API_PREFIX));
  mountQueueBoard(app);
  app.use(requireJsonBody);
  app.use(
    express.json({
      limit: config.bodyLimitBytes,
      strict: true,
      type: ['application/json', 'application/*+json'],
      reviver: refusePrototypeKeys,
    }),
  );
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED_ROUTES });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
  });
  // process.exit (not a re-sent signal) once the hooks ran: exit code 0 after a graceful stop
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  return app;
}

import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import pinoHttp from 'pino-http';
import { createLogger, Logger, Metrics, PinoNestLogger } from '@duban/common';
import type { DubanConfig } from '@duban/config';
import { AppModule } from './app.module';
import { correlationMiddleware } from './http/correlation.middleware';
import { httpMetricsMiddleware } from './http/http-metrics.middleware';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { createValidationPipe } from './http/validation';
import { requireJsonBody } from './http/require-json-body.middleware';
import { mountQueueBoard } from './queues/queue-board';

export const API_PREFIX = 'api/v1';

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
  app.use(
    pinoHttp({
      logger,
      genReqId: (req) => (req as { id?: string }).id ?? '',
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'correlationId' },
    }),
  );
  app.use(httpMetricsMiddleware(metrics));
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
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'metrics'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
  const openApi = new DocumentBuilder()
    .setTitle('Duban (督办) API')
    .setDescription(
      'Register problems, assign them to units with deadlines, follow their rectification to closure (销号), and audit every step.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), {
    jsonDocumentUrl: 'docs/openapi.json',
  });
  // process.exit (not a re-sent signal) once the hooks ran: exit code 0 after a graceful stop
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  return app;
}

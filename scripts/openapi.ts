/**
 * Writes the API's OpenAPI document without a server, Redis or data:
 *   node -r @swc-node/register scripts/openapi.ts openapi.json
 * Nest's preview mode reads the controllers' decorators without constructing any provider.
 */
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, Metrics } from '@duban/common';
import { loadConfig } from '@duban/config';
import { AppModule } from '../apps/api/src/app.module';
import { API_PREFIX, UNPREFIXED_ROUTES } from '../apps/api/src/create-app';
import { buildOpenApiDocument } from '../apps/api/src/http/openapi';

async function main(out: string | undefined): Promise<void> {
  if (!out) {
    process.stderr.write('usage: node -r @swc-node/register scripts/openapi.ts <out.json>\n');
    process.exit(2);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'duban-openapi-'));
  try {
    // the module needs a valid configuration; nothing here is ever connected to
    const config = loadConfig({
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      REDIS_URL: 'redis://127.0.0.1:6379',
      AUTH_JWT_SECRET: 'openapi-document-only-never-signs-anything-0000',
      LOG_LEVEL: 'silent',
    });
    const logger = createLogger({ name: 'duban-openapi', level: 'silent' });
    const app = await NestFactory.create(AppModule.forRoot(config, logger, new Metrics('api')), {
      preview: true,
      logger: false,
      abortOnError: false,
    });
    app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED_ROUTES });
    writeFileSync(out, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
    await app.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

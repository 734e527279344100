import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import express, { type Request, type Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONFIG, type DubanConfig } from '@duban/config';

export const CONSOLE_PATH = '/console';

/** Where `vite build` puts the console: beside the sources when run from them, or under the working directory. */
export function consoleDist(): string {
  const candidates = [resolve(__dirname, '../../../console/dist'), resolve(process.cwd(), 'apps/console/dist')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0];
}

/**
 * The supervision console (督办驾驶舱) as static files at /console, and / redirects there. The files need no
 * token (they hold no data); every figure the page shows comes from the API with the bearer token the user
 * signs in with. Mounted after Nest's routes and before its 404 handler; unknown paths under /console answer
 * the page itself, whose router shows them.
 */
@Injectable()
export class ConsoleStatic implements OnModuleInit {
  constructor(
    private readonly adapter: HttpAdapterHost,
    @Inject(CONFIG) private readonly config: DubanConfig,
  ) {}

  /** The page with the agency's time zone (TZ_AGENCY) and the environment (the role picker is for development). */
  private html(dist: string): string {
    const attr = (value: string) => value.replace(/[^A-Za-z0-9_/+-]/g, '');
    return readFileSync(join(dist, 'index.html'), 'utf8')
      .replace(/(<meta name="duban-tz" content=")[^"]*"/, `$1${attr(this.config.tzAgency)}"`)
      .replace(/(<meta name="duban-env" content=")[^"]*"/, `$1${attr(this.config.nodeEnv)}"`);
  }

  onModuleInit(): void {
    const app = this.adapter.httpAdapter.getInstance<express.Express>();
    const dist = consoleDist();
    const headers = (res: Response) => {
      res.setHeader(
        'Content-Security-Policy',
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'",
      );
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
    };
    const page = (_req: Request, res: Response) => {
      headers(res);
      res.setHeader('Cache-Control', 'no-cache');
      if (!existsSync(join(dist, 'index.html'))) {
        res
          .status(503)
          .type('text/plain; charset=utf-8')
          .send('the console is not built: run `npm run console:build` (npm start builds it when missing)\n');
        return;
      }
      res.type('html').send(this.html(dist));
    };
    const router = express.Router();
    router.get('/', page);
    router.use(
      '/assets',
      express.static(join(dist, 'assets'), {
        immutable: true,
        maxAge: '1y',
        fallthrough: false,
        setHeaders: (res) => headers(res as Response),
      }),
    );
    router.use(express.static(dist, { index: false, setHeaders: (res) => headers(res as Response) }));
    router.get('/{*path}', page);
    app.use(CONSOLE_PATH, router);
    app.get('/', (_req: Request, res: Response) => res.redirect(302, `${CONSOLE_PATH}/`));
  }
}

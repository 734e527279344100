/**
 * The API under load, in its own process so the load generator does not share its event loop.
 * Mounts a bare endpoint beside the real ones; prints "listening <port>" when ready. SIGTERM stops it through
 * createApp's shutdown hooks (a handler of its own here closed the application twice).
 */
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { loadConfig } from '@duban/config';
import { createApp } from '../../apps/api/src/create-app';
import { Public } from '../../apps/api/src/auth/public.decorator';

@Controller('bench')
class BareController {
  @Post('constant')
  @Public()
  @HttpCode(201)
  constant(@Body() _body: unknown) {
    return { id: '00000000-0000-4000-8000-000000000000', revision: 0, position: 0 };
  }

  /** the queries' baseline: the same app answering a GET with a constant (not a 404 for the POST-only route) */
  @Get('constant')
  @Public()
  read() {
    return { id: '00000000-0000-4000-8000-000000000000', revision: 0, position: 0 };
  }
}
@Module({ controllers: [BareController] })
class BareModule {}

void (async () => {
  const config = loadConfig({
    // production requires the personal-data master key; a fixed bench key unless one is given
    PERSONAL_DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const app = await createApp(config, undefined, [BareModule]);
  await app.listen(0, '127.0.0.1');
  process.stdout.write(`listening ${(app.getHttpServer().address() as { port: number }).port}\n`);
})();

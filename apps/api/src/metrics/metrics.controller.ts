import { Controller, Get, Headers, Inject, Res, UnauthorizedException } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { METRICS, Metrics } from '@duban/common';
import { CONFIG, DubanConfig } from '@duban/config';
import { Public } from '../auth/public.decorator';
import { ApiProblems, ApiPublic } from '../http/openapi';

/** Prometheus text exposition; protected by METRICS_TOKEN when one is configured. */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(CONFIG) private readonly config: DubanConfig,
  ) {}

  @Get()
  @Public()
  @ApiPublic('metricsToken')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition); needs the METRICS_TOKEN bearer when one is set' })
  @ApiResponse({
    status: 200,
    description: 'the Prometheus text exposition format',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiProblems(401)
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    const token = this.config.metricsToken;
    if (token) {
      const offered = Buffer.from(authorization?.replace(/^Bearer\s+/i, '') ?? '');
      const wanted = Buffer.from(token);
      if (offered.length !== wanted.length || !timingSafeEqual(offered, wanted))
        throw new UnauthorizedException('a valid METRICS_TOKEN bearer is required');
    }
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.send(await this.metrics.registry.metrics());
  }
}

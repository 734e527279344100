import { BadRequestException, Body, Controller, Inject, Post } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CONFIG, type DubanConfig } from '@duban/config';
import { Public } from '../auth/public.decorator';
import { ApiJson, ApiJsonBody, ApiProblems, ApiPublic, INTEGER, object, TEXT } from '../http/openapi';
import { DevTokenRequestDto } from './dev-token.request.dto';

const LIFETIME_SECONDS = 8 * 3600;

/**
 * The console's role picker (NODE_ENV=development only: the module does not register this controller
 * otherwise, so production answers 404): a token for any role, signed with the API's own secret, so a
 * developer can look at the console as each role without running `npm run token`.
 */
@ApiTags('development')
@Controller('dev')
export class DevTokenController {
  constructor(
    private readonly jwt: JwtService,
    @Inject(CONFIG) private readonly config: DubanConfig,
  ) {}

  @Post('tokens')
  @Public()
  @ApiPublic()
  @ApiOperation({ summary: 'Development only (absent in production): a bearer token for a role, as npm run token' })
  @ApiJsonBody()
  @ApiJson(object({ token: TEXT, expiresIn: INTEGER }), 201)
  @ApiProblems(400)
  async mint(@Body() body: DevTokenRequestDto) {
    if (body.role === 'unit_officer' && !body.unitId)
      throw new BadRequestException({ message: ['unitId a unit officer needs a unit'] });
    if (body.role === 'supervisor' && !body.unitIds?.length)
      throw new BadRequestException({ message: ['unitIds a supervisor needs the units they supervise'] });
    const sub = `dev-${body.role}${body.unitId ? `-${body.unitId.slice(0, 8)}` : ''}`;
    const expiresIn = Math.min(LIFETIME_SECONDS, Math.floor(this.config.authTokenMaxLifetime.ms / 1000));
    const token = await this.jwt.signAsync(
      {
        sub,
        name: body.name ?? sub,
        roles: [body.role],
        ...(body.role === 'unit_officer' ? { unitId: body.unitId } : {}),
        ...(body.role === 'supervisor' ? { unitIds: body.unitIds } : {}),
      },
      {
        expiresIn,
        ...(this.config.authIssuer ? { issuer: this.config.authIssuer } : {}),
        ...(this.config.authAudience ? { audience: this.config.authAudience } : {}),
      },
    );
    return { token, expiresIn };
  }
}

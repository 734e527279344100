import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ApiBearer, ApiIdempotent, ApiJson, ApiProblems, INTEGER, NUMBER, object } from '../http/openapi';
import { ReadModelService } from '../read-model/read-model.service';

/** Read models are disposable: replay the log into a fresh file and swap it in (blue-green). */
@ApiTags('admin')
@ApiBearer()
@Controller('admin/projections')
export class ProjectionsAdminController {
  constructor(private readonly readModel: ReadModelService) {}

  @Post('rebuild')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary:
      "Rebuild this process's read model from position 0; queries keep being served from the old one until the swap",
  })
  @ApiJson(object({ position: INTEGER, seconds: NUMBER }))
  @ApiProblems(403)
  @ApiIdempotent()
  async rebuild() {
    const started = Date.now();
    await this.readModel.runner.rebuild();
    return { position: this.readModel.runner.checkpoint, seconds: (Date.now() - started) / 1000 };
  }
}

import { ISSUE_LIMITS } from '@duban/domain';
import { TextField, UuidField } from '../../http/fields';

/** A finding at one unit checked: registered as an issue naming the inspection. */
export class RecordFindingRequestDto {
  @UuidField({ description: 'the unit it was found at (one of the units the inspection checked)' })
  unitId: string;

  @TextField({ max: ISSUE_LIMITS.title, example: '窗口工作人员上班时间玩手机' })
  title: string;

  @TextField({ max: ISSUE_LIMITS.description, example: '暗访发现，上午10时许，3号窗口工作人员玩手机，群众排队等候。' })
  description: string;

  @TextField({
    max: ISSUE_LIMITS.category,
    required: false,
    description: 'defaults to the kind of inspection (明察/暗访/专项督察)',
  })
  category?: string;
}

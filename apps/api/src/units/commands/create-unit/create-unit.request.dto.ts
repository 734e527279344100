import { EMAIL_PATTERN, UNIT_CODE_PATTERN, UNIT_LIMITS, WEBHOOK_URL_PATTERN } from '@duban/domain';
import { NestedField, TextField, UuidField } from '../../../http/fields';
import { PersonDto } from '../../../http/person.dto';

/** the unit's head */
export class UnitHeadDto extends PersonDto {}

export class UnitContactsDto {
  @TextField({ max: UNIT_LIMITS.email, required: false, pattern: EMAIL_PATTERN, example: 'duban@zjj.example.gov.cn' })
  email?: string;

  @TextField({
    max: UNIT_LIMITS.webhookUrl,
    required: false,
    pattern: WEBHOOK_URL_PATTERN,
    example: 'https://oa.example.gov.cn/hooks/duban',
  })
  webhookUrl?: string;
}

export class CreateUnitRequestDto {
  @TextField({
    max: UNIT_LIMITS.code,
    pattern: UNIT_CODE_PATTERN,
    example: 'ZJJ-01',
    description: "the unit's code, unique",
  })
  code: string;

  @TextField({ max: UNIT_LIMITS.name, example: '市住房和城乡建设局 (Municipal Housing and Construction Bureau)' })
  name: string;

  @UuidField({ required: false, description: 'the supervising unit (used by the escalation ladder)' })
  parentId?: string;

  @NestedField(() => UnitHeadDto, { required: false })
  head?: UnitHeadDto;

  @NestedField(() => UnitContactsDto, { required: false })
  contacts?: UnitContactsDto;
}

import { NestedField, TextField, UuidField } from '../../../http/fields';
import { PersonDto } from '../../../http/person.dto';

/** the unit's head */
export class UnitHeadDto extends PersonDto {}

export class UnitContactsDto {
  @TextField({ max: 254, required: false, pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, example: 'duban@zjj.example.gov.cn' })
  email?: string;

  @TextField({
    max: 2000,
    required: false,
    pattern: /^https?:\/\/\S+$/,
    example: 'https://oa.example.gov.cn/hooks/duban',
  })
  webhookUrl?: string;
}

export class CreateUnitRequestDto {
  @TextField({ max: 50, pattern: /^[A-Za-z0-9._-]+$/, example: 'ZJJ-01', description: "the unit's code, unique" })
  code: string;

  @TextField({ max: 200, example: '市住房和城乡建设局 (Municipal Housing and Construction Bureau)' })
  name: string;

  @UuidField({ required: false, description: 'the supervising unit (used by the escalation ladder)' })
  parentId?: string;

  @NestedField(() => UnitHeadDto, { required: false })
  head?: UnitHeadDto;

  @NestedField(() => UnitContactsDto, { required: false })
  contacts?: UnitContactsDto;
}

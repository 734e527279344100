import { EnumField, TextField } from '../../../http/fields';

/** 整改不扎实不到位、弄虚作假: a finding that counts against the unit. */
export class RecordFindingRequestDto {
  @EnumField(['perfunctory', 'falsified'], {
    example: 'perfunctory',
    description: 'perfunctory 不扎实不到位, falsified 弄虚作假',
  })
  kind: 'perfunctory' | 'falsified';

  @TextField({ max: 5000, example: '整改材料与现场不符 (the report does not match the site)' })
  note: string;
}

import { EnumField, NestedField, TextField, UuidField } from '../../../http/fields';

export class AccountabilityTargetDto {
  @EnumField(['person', 'unit'], { example: 'unit' })
  kind: 'person' | 'unit';

  @TextField({ max: 100, required: false, example: '王五' })
  name?: string;

  @UuidField({ required: false })
  unitId?: string;
}

/** 责任追究 */
export class RecordAccountabilityRequestDto {
  @EnumField(['criticism_notice', 'summons', 'admonishment', 'disciplinary_referral'], {
    example: 'summons',
    description: 'criticism_notice 通报批评, summons 约谈, admonishment 诫勉谈话, disciplinary_referral 移交纪检',
  })
  measure: 'criticism_notice' | 'summons' | 'admonishment' | 'disciplinary_referral';

  @NestedField(() => AccountabilityTargetDto)
  target: AccountabilityTargetDto;

  @TextField({ max: 2000, example: '整改不力 (ineffective rectification)' })
  reason: string;
}

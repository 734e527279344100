import {
  ACCOUNTABILITY_MEASURES,
  ACCOUNTABILITY_TARGET_KINDS,
  ISSUE_LIMITS,
  PERSON_LIMITS,
  type AccountabilityMeasure,
  type AccountabilityTargetKind,
} from '@duban/domain';
import { BoolField, EnumField, NestedField, TextField, UuidField } from '../../../http/fields';

export class AccountabilityTargetDto {
  @EnumField(ACCOUNTABILITY_TARGET_KINDS, { example: 'unit' })
  kind: AccountabilityTargetKind;

  @TextField({ max: PERSON_LIMITS.name, required: false, example: '王五' })
  name?: string;

  @UuidField({ required: false })
  unitId?: string;

  @BoolField({ required: false, description: "主要负责人: the person is the unit's principal leader" })
  principal?: boolean;
}

/** 责任追究 */
export class RecordAccountabilityRequestDto {
  @EnumField(ACCOUNTABILITY_MEASURES, {
    example: 'summons',
    description:
      'criticism_notice 通报批评, summons 约谈, admonishment 诫勉谈话, disciplinary_referral 移交纪检, reminder_talk 提醒谈话, organisational_adjustment 组织调整/组织处理, honours_disqualification 取消当年评优提拔资格',
  })
  measure: AccountabilityMeasure;

  @NestedField(() => AccountabilityTargetDto)
  target: AccountabilityTargetDto;

  @TextField({ max: ISSUE_LIMITS.reason, example: '整改不力 (ineffective rectification)' })
  reason: string;
}

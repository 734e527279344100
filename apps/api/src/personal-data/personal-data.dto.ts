import { ISSUE_LIMITS } from '@duban/domain';
import { IntField, TextField, UuidField } from '../http/fields';

/** PIPL erasure: exactly one of `issueId` and `reporterId`, and why. */
export class ErasePersonalDataRequestDto {
  @UuidField({ required: false, description: 'erase the reporter of this issue' })
  issueId?: string;

  @UuidField({ required: false, description: 'erase this reporter (the `reporterId` registrars and admins see)' })
  reporterId?: string;

  @TextField({
    max: ISSUE_LIMITS.reason,
    example: '本人依《个人信息保护法》第四十七条申请删除 (erasure request under PIPL art. 47)',
    description: 'why (recorded in the erasure event; never personal data)',
  })
  reason: string;
}

export class PersonalDataAccessQueryDto {
  @UuidField({ required: false, description: 'only the looks at this issue’s reporter' })
  issueId?: string;

  @UuidField({ required: false, description: 'only the looks at this reporter' })
  reporterId?: string;

  @IntField({ min: 0, max: Number.MAX_SAFE_INTEGER, required: false, query: true, description: 'after this seq' })
  after?: number;

  @IntField({ min: 1, max: 1000, required: false, query: true, description: 'page size (default 100)' })
  limit?: number;
}

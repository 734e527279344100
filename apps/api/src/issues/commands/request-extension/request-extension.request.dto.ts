import { ISSUE_LIMITS } from '@duban/domain';
import { InstantField, TextField } from '../../../http/fields';

export class RequestExtensionRequestDto {
  @InstantField({ example: '2027-01-31T16:00:00Z' })
  newDeadline: string;

  @TextField({
    max: ISSUE_LIMITS.reason,
    example: '涉及工程招标，需协调多部门 (needs a tender and several departments)',
  })
  reason: string;
}

import { EMAIL_PATTERN, UNIT_LIMITS, WEBHOOK_URL_PATTERN } from '@duban/domain';
import { TextField } from '../../../http/fields';

export class SetUnitContactsRequestDto {
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

import { TextField } from '../../../http/fields';

export class SetUnitContactsRequestDto {
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

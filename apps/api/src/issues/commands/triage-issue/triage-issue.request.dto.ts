import { EnumField, TextField } from '../../../http/fields';

export class TriageIssueRequestDto {
  @TextField({ max: 100, required: false, example: '窗口服务 (window service)' })
  category?: string;

  @EnumField(['normal', 'high', 'urgent'], { required: false, example: 'high' })
  priority?: 'normal' | 'high' | 'urgent';

  @TextField({ max: 2000, required: false, example: '群众反映强烈 (strong public concern)' })
  note?: string;
}

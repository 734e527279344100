import { ISSUE_LIMITS } from '@duban/domain';
import { TextArrayField, TextField } from '../../../http/fields';

/** 立行立改 */
export class ResolveOnSpotRequestDto {
  @TextField({
    max: ISSUE_LIMITS.resultSummary,
    example: '督查组现场督促，窗口当场办结 (fixed on the spot while the inspectors were there)',
  })
  summary: string;

  @TextArrayField({
    maxItems: ISSUE_LIMITS.references,
    maxLength: ISSUE_LIMITS.reference,
    required: false,
    example: ['现场照片-001'],
    description: 'references to the evidence of what was done',
  })
  evidence?: string[];
}

import { ROLES } from '../auth/principal';
import { EnumField, TextField, UuidArrayField, UuidField } from '../http/fields';

export class DevTokenRequestDto {
  @EnumField(ROLES, { description: 'the role the token carries' })
  role: string;

  @UuidField({ required: false, description: "a unit officer's unit" })
  unitId?: string;

  @UuidArrayField({ maxItems: 200, required: false, description: "a supervisor's units" })
  unitIds?: string[];

  @TextField({ max: 100, required: false, example: '张三', description: 'the name shown in the timeline' })
  name?: string;
}

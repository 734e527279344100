import { UuidField } from '../../../http/fields';

export class MoveUnitRequestDto {
  @UuidField({ required: false, description: 'the new supervising unit; absent to make it a top-level unit' })
  parentId?: string;
}

import { PERSON_LIMITS } from '@duban/domain';
import { TextField } from './fields';

/** A named person with an optional title (责任人, 单位负责人). */
export class PersonDto {
  @TextField({ max: PERSON_LIMITS.name, example: '王五 (Wang Wu)' })
  name: string;

  @TextField({ max: PERSON_LIMITS.title, required: false, example: '科长 (section chief)' })
  title?: string;
}

import { TextField } from './fields';

/** A named person with an optional title (责任人, 单位负责人). */
export class PersonDto {
  @TextField({ max: 100, example: '王五 (Wang Wu)' })
  name: string;

  @TextField({ max: 100, required: false, example: '科长 (section chief)' })
  title?: string;
}

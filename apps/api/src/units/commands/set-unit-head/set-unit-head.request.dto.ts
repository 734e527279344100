import { PersonDto } from '../../../http/person.dto';

export class SetUnitHeadRequestDto extends PersonDto {}

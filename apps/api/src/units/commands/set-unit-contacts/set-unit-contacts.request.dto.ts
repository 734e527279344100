import { UnitContactsDto } from '../create-unit/create-unit.request.dto';

/** Replaces both contacts: a field left out is cleared. */
export class SetUnitContactsRequestDto extends UnitContactsDto {}

import { NotFoundException, Param, PipeTransform } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a UUID names no resource: 404, like any other id that names nothing (DESIGN §7.1). */
class ResourceIdPipe implements PipeTransform<string, string> {
  constructor(private readonly resource: string) {}

  transform(value: string): string {
    if (!UUID.test(value)) throw new NotFoundException(`no ${this.resource} ${value.slice(0, 100)}`);
    return value;
  }
}

/** `@IdParam('issue')` reads `:id`; `@IdParam('extension request', 'requestId')` another path parameter. */
export const IdParam = (resource: string, name = 'id') => Param(name, new ResourceIdPipe(resource));

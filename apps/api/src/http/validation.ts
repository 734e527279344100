import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { problem } from './problem';

/** Flattens class-validator's tree into `errors: [{field: 'reporter.phone', messages: [...]}]`. */
export function flattenValidationErrors(
  errors: ValidationError[],
  parent = '',
): { field: string; messages: string[] }[] {
  const out: { field: string; messages: string[] }[] = [];
  for (const error of errors) {
    const field = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    if (error.constraints) out.push({ field, messages: Object.values(error.constraints) });
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/**
 * class-validator finds a class's rules on every validation (each nested object too) by walking every decorated
 * class of the application with an `instanceof` each: a few % of a registration's CPU. The rules only change
 * when a decorator adds one, so each class's lookup is remembered until then. Groups are not used here; a
 * lookup with groups is not remembered.
 */
function rememberValidationRules(): void {
  const storage = getMetadataStorage();
  if (remembering.has(storage)) return;
  remembering.add(storage);
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  const remembered = new Map<string, Map<unknown, ReturnType<typeof lookUp>>>();
  storage.addValidationMetadata = (metadata) => {
    remembered.clear();
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (groups?.length) return lookUp(target, schema, always, strictGroups, groups);
    const options = `${schema}|${always}|${strictGroups}`;
    let byClass = remembered.get(options);
    if (!byClass) remembered.set(options, (byClass = new Map()));
    let rules = byClass.get(target);
    if (!rules) byClass.set(target, (rules = lookUp(target, schema, always, strictGroups, groups)));
    return rules;
  };
}
const remembering = new WeakSet<object>();

/** whitelist + forbidNonWhitelisted: an unknown field is an error, never silently dropped. */
export function createValidationPipe(): ValidationPipe {
  rememberValidationRules();
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = flattenValidationErrors(errors);
      return new BadRequestException(
        problem(
          400,
          `the request has ${fields.length} invalid field${fields.length === 1 ? '' : 's'}: ${fields.map((f) => f.field).join(', ')}`,
          {
            errors: fields,
          },
        ),
      );
    },
  });
}

import 'reflect-metadata';
import { BadRequestException } from '@nestjs/common';
import { MaxLength } from 'class-validator';
import { TextField } from './fields';
import { createValidationPipe } from './validation';

class Parent {
  @TextField({ max: 5 })
  name: string;
}
class Child extends Parent {
  @TextField({ max: 3, required: false })
  code?: string;
}

describe('the validation pipe with remembered rules', () => {
  const pipe = createValidationPipe();
  const check = (metatype: new () => object, body: object) => pipe.transform(body, { type: 'body', metatype });
  const fields = (promise: Promise<unknown>) =>
    promise.then(
      () => [],
      (error: BadRequestException) =>
        (error.getResponse() as { errors: { field: string }[] }).errors.map((e) => e.field),
    );

  it('checks the same rules on every request (own and inherited), not only the first', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await fields(check(Child, { name: 'ok', code: 'abc' }))).toEqual([]);
      expect(await fields(check(Child, { name: 'too long', code: 'abcd', extra: 1 }))).toEqual([
        'extra',
        'code',
        'name',
      ]);
      expect(await fields(check(Parent, { name: 'ok', code: 'abc' }))).toEqual(['code']);
    }
  });

  it('a rule added after a lookup is enforced from then on', async () => {
    class Late {
      @TextField({ max: 10 })
      title: string;
    }
    expect(await fields(check(Late, { title: 'abcdefgh' }))).toEqual([]);
    MaxLength(4)(Late.prototype, 'title');
    expect(await fields(check(Late, { title: 'abcdefgh' }))).toEqual(['title']);
  });
});

import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { unitDecider } from '../unit.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(unitDecider);

describe('set the head of a unit (escalation level 3 summons them)', () => {
  it('records the new head', () =>
    spec
      .given([f.created])
      .when(f.command('SetUnitHead', { name: '钱七', title: '局长' }))
      .then([{ type: 'UnitHeadSet', data: { ...f.base(), head: { name: '钱七', title: '局长' } } }]));
  it('without a title', () =>
    spec
      .given([f.created])
      .when(f.command('SetUnitHead', { name: '钱七' }))
      .thenState((s) => expect(s.head).toEqual({ name: '钱七' })));
  it('the same head records nothing', () =>
    spec
      .given([f.created])
      .when(f.command('SetUnitHead', { name: '赵六', title: '局长' }))
      .thenNothingHappens());
  it('a head without a name is refused', () =>
    spec
      .given([f.created])
      .when(f.command('SetUnitHead', { name: '' }))
      .thenThrows(InvalidCommand, /^name/, { field: 'name' }));
  it('a deactivated unit refuses it', () =>
    spec
      .given([f.created, f.deactivated])
      .when(f.command('SetUnitHead', { name: '钱七' }))
      .thenThrows(IllegalTransition, /deactivated/));
  it('a unit that does not exist is NotFound', () =>
    spec
      .given([])
      .when(f.command('SetUnitHead', { name: '钱七' }))
      .thenThrows(NotFound));
});

describe('set the contacts of a unit (where notifications go): both replaced', () => {
  it('records e-mail and webhook', () =>
    spec
      .given([f.created])
      .when(
        f.command('SetUnitContacts', { email: 'office@example.gov.cn', webhookUrl: 'https://hooks.example.gov.cn/d' }),
      )
      .then([
        {
          type: 'UnitContactsSet',
          data: {
            ...f.base(),
            contacts: { email: 'office@example.gov.cn', webhookUrl: 'https://hooks.example.gov.cn/d' },
          },
        },
      ]));
  it('a contact left out is cleared', () =>
    spec
      .given([f.created])
      .when(f.command('SetUnitContacts', { webhookUrl: 'http://10.0.0.5/hook' }))
      .thenState((s) => expect(s.contacts).toEqual({ webhookUrl: 'http://10.0.0.5/hook' })));
  it('the same contacts record nothing', () =>
    spec
      .given([f.created])
      .when(f.command('SetUnitContacts', { email: 'zjj@example.gov.cn' }))
      .thenNothingHappens());
  it('an e-mail that is not an address is refused', () =>
    spec
      .given([f.created])
      .when(f.command('SetUnitContacts', { email: 'zjj' }))
      .thenThrows(InvalidCommand, /^email/, { field: 'email' }));
  it('a webhook that is not http(s) is refused', () =>
    spec
      .given([f.created])
      .when(f.command('SetUnitContacts', { webhookUrl: 'javascript:alert(1)' }))
      .thenThrows(InvalidCommand, /^webhookUrl/));
  it('a deactivated unit refuses it', () =>
    spec
      .given([f.created, f.deactivated])
      .when(f.command('SetUnitContacts', {}))
      .thenThrows(IllegalTransition, /deactivated/));
  it('a unit that does not exist is NotFound', () =>
    spec.given([]).when(f.command('SetUnitContacts', {})).thenThrows(NotFound));
});

import { DeciderSpecification } from '../../testing/decider-spec';
import { InvalidCommand } from '../../errors';
import { deliveryDecider, DeliveryEvent, DeliveryFacts } from '../delivery.decider';

const spec = DeciderSpecification.for(deliveryDecider);
const worker = { id: 'system:worker', role: 'system' };
const facts = (jobId = 'notify-1-webhook', attempts = 3): DeliveryFacts => ({
  deliveryId: 'd1',
  channel: 'webhook',
  kind: 'escalation_2',
  issueId: 'i1',
  unitId: 'u1',
  address: 'https://unit.example/hook',
  sourceEventId: 'e1',
  jobId,
  attempts,
});
const at = '2026-03-02T01:00:00.000Z';
const deliver = (jobId?: string) => ({
  type: 'RecordDelivery' as const,
  data: facts(jobId),
  meta: { at, actor: worker },
});
const fail = (jobId?: string, error = 'HTTP 500') => ({
  type: 'RecordDeliveryFailure' as const,
  data: { ...facts(jobId), error },
  meta: { at, actor: worker },
});
const delivered = (jobId?: string): DeliveryEvent => ({
  type: 'NotificationDelivered',
  data: { ...facts(jobId), at, by: worker.id },
});
const failed = (jobId?: string): DeliveryEvent => ({
  type: 'NotificationDeliveryFailed',
  data: { ...facts(jobId), at, by: worker.id, error: 'HTTP 500' },
});

describe('notification delivery: recorded once per job, delivered once', () => {
  it('records a delivery', () => spec.given([]).when(deliver()).then([delivered()]));
  it('records a final failure', () => spec.given([]).when(fail()).then([failed()]));
  it('a job that runs again records nothing new', () => spec.given([failed()]).when(fail()).thenNothingHappens());
  it('a dead letter retried by an administrator is a new job: its success is recorded', () =>
    spec
      .given([failed()])
      .when(deliver('notify-1-webhook-retry-1'))
      .then([delivered('notify-1-webhook-retry-1')]));
  it('nothing after a delivery', () => spec.given([delivered()]).when(fail('other')).thenNothingHappens());
  it('the error is kept short', () =>
    spec
      .given([])
      .when(fail(undefined, 'x'.repeat(5000)))
      .thenState((s) => expect(s.status).toBe('failed')));
  it('refuses an unknown channel', () =>
    spec
      .given([])
      .when({ ...deliver(), data: { ...facts(), channel: 'sms' as never } })
      .thenThrows(InvalidCommand, /channel/));
  it('refuses attempts below 1', () =>
    spec
      .given([])
      .when({ ...deliver(), data: { ...facts(), attempts: 0 } })
      .thenThrows(InvalidCommand, /attempts/));
});

describe('marking an in-app notification read', () => {
  const { inboxReadDecider } = jest.requireActual('../inbox.decider') as typeof import('../inbox.decider');
  const inbox = DeciderSpecification.for(inboxReadDecider);
  const mark = {
    type: 'MarkNotificationRead' as const,
    data: { notificationId: 'n1', userId: 'u1' },
    meta: { at, actor: { id: 'u1', role: 'unit_officer' } },
  };
  const read = { type: 'NotificationRead' as const, data: { notificationId: 'n1', userId: 'u1', at, by: 'u1' } };
  it('records it', () => inbox.given([]).when(mark).then([read]));
  it('twice records it once', () => inbox.given([read]).when(mark).thenNothingHappens());
});

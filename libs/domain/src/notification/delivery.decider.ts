import type { CommandMeta, Decider } from '../decider';
import { InvalidCommand } from '../errors';
import { requireInstant, requireInteger, requireOneOf, requireText } from '../validation';
import { NOTIFICATION_KINDS, NotificationKind } from './notification-routing';

export const DELIVERY_CHANNELS = ['webhook', 'email'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** One notification to one recipient over one channel, as the worker tried to deliver it. */
export interface DeliveryFacts {
  deliveryId: string;
  channel: DeliveryChannel;
  kind: NotificationKind;
  issueId: string;
  /** the recipient unit; null for the supervision office */
  unitId: string | null;
  /** the URL or e-mail address it went to */
  address: string;
  /** the event that caused the notification */
  sourceEventId: string;
  /** the queue job that tried (a dead letter's retry is a new job) */
  jobId: string;
  attempts: number;
}

export type RecordDelivery = { type: 'RecordDelivery'; data: DeliveryFacts; meta: CommandMeta };
export type RecordDeliveryFailure = {
  type: 'RecordDeliveryFailure';
  data: DeliveryFacts & { error: string };
  meta: CommandMeta;
};
export type DeliveryCommand = RecordDelivery | RecordDeliveryFailure;

type Base = DeliveryFacts & { at: string; by: string };
export type NotificationDelivered = { type: 'NotificationDelivered'; data: Base };
export type NotificationDeliveryFailed = { type: 'NotificationDeliveryFailed'; data: Base & { error: string } };
export type DeliveryEvent = NotificationDelivered | NotificationDeliveryFailed;

export interface DeliveryState {
  status: 'none' | 'delivered' | 'failed';
  /** jobs whose outcome is recorded: a job that runs twice records once */
  jobIds: string[];
}

/**
 * The audit trail of a notification's delivery (stream `delivery-<deliveryId>`). Delivery succeeds once;
 * it may fail several times first (each dead letter retried by an administrator is a new job), and a
 * job's outcome is recorded once even when a stalled job runs again.
 */
export function decideDelivery(command: DeliveryCommand, state: DeliveryState): DeliveryEvent[] {
  const d = command.data;
  const facts: DeliveryFacts = {
    deliveryId: requireText('deliveryId', d.deliveryId),
    channel: requireOneOf('channel', d.channel, DELIVERY_CHANNELS),
    kind: requireOneOf('kind', d.kind, NOTIFICATION_KINDS),
    issueId: requireText('issueId', d.issueId),
    unitId: d.unitId === null ? null : requireText('unitId', d.unitId),
    address: requireText('address', d.address),
    sourceEventId: requireText('sourceEventId', d.sourceEventId),
    jobId: requireText('jobId', d.jobId),
    attempts: requireInteger('attempts', d.attempts, 1),
  };
  const base: Base = {
    ...facts,
    at: requireInstant('meta.at', command.meta.at),
    by: requireText('meta.actor.id', command.meta.actor?.id),
  };
  if (state.status === 'delivered' || state.jobIds.includes(facts.jobId)) return [];
  switch (command.type) {
    case 'RecordDelivery':
      return [{ type: 'NotificationDelivered', data: base }];
    case 'RecordDeliveryFailure':
      return [
        {
          type: 'NotificationDeliveryFailed',
          data: { ...base, error: requireText('error', command.data.error).slice(0, 2000) },
        },
      ];
    default:
      throw new InvalidCommand('type', `unknown delivery command ${(command as { type: string }).type}`);
  }
}

export function evolveDelivery(state: DeliveryState, event: DeliveryEvent): DeliveryState {
  switch (event.type) {
    case 'NotificationDelivered':
      return { status: 'delivered', jobIds: [...state.jobIds, event.data.jobId] };
    case 'NotificationDeliveryFailed':
      return { status: 'failed', jobIds: [...state.jobIds, event.data.jobId] };
    default:
      return state;
  }
}

export const deliveryDecider: Decider<DeliveryState, DeliveryCommand, DeliveryEvent> = {
  decide: decideDelivery,
  evolve: evolveDelivery,
  initialState: () => ({ status: 'none', jobIds: [] }),
};

export const deliveryStreamId = (deliveryId: string) => `delivery-${deliveryId}`;

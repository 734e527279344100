import type { CommandMeta, Decider } from '../decider';
import { requireInstant, requireText } from '../validation';

/** A user marks an in-app notification read (stream per user and notification). */
export type MarkNotificationRead = {
  type: 'MarkNotificationRead';
  data: { notificationId: string; userId: string };
  meta: CommandMeta;
};
export type NotificationRead = {
  type: 'NotificationRead';
  data: { notificationId: string; userId: string; at: string; by: string };
};
export type InboxReadState = { read: boolean };

/** Marking read twice records it once. */
export const inboxReadDecider: Decider<InboxReadState, MarkNotificationRead, NotificationRead> = {
  decide(command, state) {
    const notificationId = requireText('notificationId', command.data.notificationId);
    const userId = requireText('userId', command.data.userId);
    const at = requireInstant('meta.at', command.meta.at);
    if (state.read) return [];
    return [
      {
        type: 'NotificationRead',
        data: { notificationId, userId, at, by: requireText('meta.actor.id', command.meta.actor?.id) },
      },
    ];
  },
  evolve: (state, event) => (event.type === 'NotificationRead' ? { read: true } : state),
  initialState: () => ({ read: false }),
};

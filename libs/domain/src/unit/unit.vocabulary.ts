/**
 * The words and limits of the unit directory (DESIGN.md §2.3). The HTTP layer validates request bodies
 * against these; the decider checks what the domain itself relies on (an e-mail address, an http(s) URL).
 */

export const UNIT_STATUSES = ['active', 'deactivated'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

/** Maximum lengths in characters; a unit head's name and title follow PERSON_LIMITS. */
export const UNIT_LIMITS = {
  code: 50,
  name: 200,
  email: 254,
  webhookUrl: 2000,
  reason: 2000,
} as const;

/** A unit's code: letters, digits, `.`, `_` and `-` (the unit id derives from it). */
export const UNIT_CODE_PATTERN = /^[A-Za-z0-9._-]+$/;

/** An e-mail address as the directory accepts it for notifications. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The shape of a webhook URL in a request; the decider also checks it parses as http(s). */
export const WEBHOOK_URL_PATTERN = /^https?:\/\/\S+$/;

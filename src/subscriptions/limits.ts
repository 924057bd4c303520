/** How often one address may be sent a confirmation email, whoever signs it up. */

/** At most one email per `intervalSeconds`, and `perDay` in any 24 hours. */
export interface AddressSendLimit {
  readonly intervalSeconds: number;
  readonly perDay: number;
}

/**
 * One per 10 minutes (a reader who submits the form twice gets one email, whose link works),
 * three a day (enough for an email or two that got lost; a stranger signing up someone else's
 * address from any number of networks cannot flood that mailbox).
 */
export const ADDRESS_SEND_LIMIT: AddressSendLimit = { intervalSeconds: 600, perDay: 3 };

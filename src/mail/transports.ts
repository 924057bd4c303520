/** Which transport each kind of mail goes through, from the mail config and the bindings. */
import type { MailConfig } from "../config.ts";
import { HttpApiTransport } from "./http-api.ts";
import { OutboxTransport } from "./outbox.ts";
import { SendEmailBindingTransport } from "./send-email-binding.ts";
import type { MailTransport } from "./transport.ts";

/** The bindings and secrets transports need. */
export interface MailBindings {
  readonly DB: D1Database;
  readonly EMAIL_API_KEY?: string;
  readonly CONFIRM_EMAIL?: SendEmail;
}

/** The transport digests go through. */
export function digestTransport(env: MailBindings, mail: MailConfig): MailTransport {
  return mail.transport === "http"
    ? new HttpApiTransport({ baseUrl: mail.apiUrl, apiKey: env.EMAIL_API_KEY! })
    : new OutboxTransport(env.DB);
}

/** Confirmation mail: the send_email binding where configured, else the digest transport. */
export function confirmationTransport(env: MailBindings, mail: MailConfig): MailTransport {
  return env.CONFIRM_EMAIL
    ? new SendEmailBindingTransport(env.CONFIRM_EMAIL)
    : digestTransport(env, mail);
}

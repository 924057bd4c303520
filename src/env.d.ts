// Bindings `wrangler types` cannot see because they are optional per deployment.
interface Env {
  /** A send_email binding for confirmation mail, where Email Routing is set up. */
  CONFIRM_EMAIL?: SendEmail;
}

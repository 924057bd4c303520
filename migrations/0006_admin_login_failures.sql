-- Failed admin logins per client network (an IPv4 address or an IPv6 /64), so that guessing the
-- admin token is slowed down: after too many failures in a window the client gets 429 until the
-- window ends (src/http/admin-auth.ts). One row per client with recent failures.

CREATE TABLE admin_login_failures (
  client        TEXT PRIMARY KEY,
  -- Unix seconds of the first failure of the current window.
  window_start  INTEGER NOT NULL,
  failures      INTEGER NOT NULL
);
CREATE INDEX admin_login_failures_window ON admin_login_failures (window_start);

/** What every handler and middleware sees: the bindings, and the config parsed for the request. */
import type { Config } from "../config.ts";

export type AppEnv = {
  Bindings: Env;
  Variables: {
    /** Set by configMiddleware before any route runs. */
    config: Config;
  };
};

/**
 * Worker globals for the Node-side type check (tsconfig.node.json), and only for it.
 *
 * scripts/, bench/ and test/ import src/ modules directly (scripts/digest.ts builds digests with
 * the product's buildDigest, bench/delivery-sim.ts sends one with the real producer and
 * consumer), so tsc follows those imports into src/, which is written against workerd's
 * globals (D1Database, Queue, …). worker-configuration.d.ts declares those, but it declares all
 * of workerd's runtime too (fetch, Response, crypto, console…), which clashes with @types/node
 * and the DOM lib that Node-side code needs. So this file declares just the Worker types that
 * the src/ modules Node-side code imports mention, taken from the module build of
 * @cloudflare/workers-types (index.ts exports its types instead of declaring globals), and
 * nothing at run time: Node-side code gets these objects from wrangler's getPlatformProxy, or
 * makes its own (bench/delivery/fake-queue.ts).
 *
 * src/ itself is type-checked for real by tsconfig.json, under workerd's types. When a Node-side
 * import reaches a src/ module that mentions a Worker global missing here, add that one.
 */
import type * as Workers from "@cloudflare/workers-types/index.ts";
import type { ConfigEnv } from "../src/config.ts";

declare global {
  /**
   * The bindings Node-side code reads through getPlatformProxy: the D1 database, and the [vars]
   * and secrets src/config.ts parses. The Worker's own Env (worker-configuration.d.ts) has more.
   */
  interface Env extends ConfigEnv {
    readonly DB: D1Database;
  }

  type D1Database = Workers.D1Database;
  type D1PreparedStatement = Workers.D1PreparedStatement;
  type D1Result<T = unknown> = Workers.D1Result<T>;
  type Queue<Body = unknown> = Workers.Queue<Body>;
  type MessageSendRequest<Body = unknown> = Workers.MessageSendRequest<Body>;

  /**
   * workerd's Web Crypto, where it differs from the DOM lib's: src/lib/crypto.ts passes any
   * ArrayBufferView (the DOM lib wants one over a non-shared ArrayBuffer) and compares with
   * crypto.subtle.timingSafeEqual, a workerd extension. Node has no timingSafeEqual at run time:
   * Node-side code must not call secretsEqual (nothing does; it is the admin token check).
   */
  interface SubtleCrypto {
    digest(
      algorithm: string | Workers.SubtleCryptoHashAlgorithm,
      data: ArrayBuffer | ArrayBufferView,
    ): Promise<ArrayBuffer>;
    verify(
      algorithm: string | Workers.SubtleCryptoSignAlgorithm,
      key: CryptoKey,
      signature: ArrayBuffer | ArrayBufferView,
      data: ArrayBuffer | ArrayBufferView,
    ): Promise<boolean>;
    timingSafeEqual(a: ArrayBuffer | ArrayBufferView, b: ArrayBuffer | ArrayBufferView): boolean;
  }
}

export {};

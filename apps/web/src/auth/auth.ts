import { randomUUID } from "node:crypto";
import { db } from "@vigil/db";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { logger } from "../lib/logger.ts";
import { redis } from "../lib/redis.ts";
import { CLIENT_IP_HEADER } from "../server/client-ip.ts";
import { runtime } from "../server/runtime.ts";
import { redisRateLimitStore } from "./shared-rate-limit.ts";

const authLog = () => logger().child({ component: "auth" });

function createAuth() {
  const { baseUrl, trustedOrigins, authSecret } = runtime();
  const client = redis();
  let warnedAt = 0;
  const shared =
    client &&
    redisRateLimitStore(client, {
      // Once a minute at most, however many requests meet the outage.
      onFallback: (error) => {
        if (Date.now() - warnedAt < 60_000) return;
        warnedAt = Date.now();
        authLog().warn({ err: error }, "rate limits counted per replica: Redis did not answer");
      },
    });
  return betterAuth({
    appName: "Vigil",
    baseURL: baseUrl,
    basePath: "/api/auth",
    secret: authSecret,
    trustedOrigins,
    database: prismaAdapter(db().prisma, { provider: "postgresql", transaction: true }),
    // Users come from bootstrap and from admins adding members; nobody signs themselves up.
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    // 10 sign-in attempts per minute per client address (better-auth's default of 3 per 10 s
    // trips over an honest typo); other auth endpoints 100 per minute. With Redis, every replica
    // counts against the same limits.
    rateLimit: {
      enabled: true,
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": { window: 60, max: 10 } },
      ...(shared ? { customStorage: shared } : {}),
    },
    advanced: {
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      // Secure cookies whenever Vigil is served over https; httpOnly and SameSite=Lax always.
      useSecureCookies: baseUrl.startsWith("https://"),
      database: { generateId: () => randomUUID() },
    },
    // Listing sessions answers every session's raw token (a bearer credential), and Vigil's UI
    // never lists them: the endpoint is off.
    disabledPaths: ["/list-sessions"],
    telemetry: { enabled: false },
    // Through Vigil's one logger; only the message, since extra arguments can carry request data.
    logger: { log: (level, message) => authLog()[level](message) },
  });
}

export type Auth = ReturnType<typeof createAuth>;

const slot = Symbol.for("vigil.auth");
type Slot = { [slot]?: Auth };

/** The better-auth instance, created on first use from the runtime the server entry set. */
export function auth(): Auth {
  const holder = globalThis as Slot;
  holder[slot] ??= createAuth();
  return holder[slot];
}

export type SessionUser = { id: string; email: string; name: string };

/** The signed-in user for a request's headers, or null. */
export async function sessionUser(headers: Headers): Promise<SessionUser | null> {
  const session = await auth().api.getSession({ headers });
  if (!session) return null;
  return { id: session.user.id, email: session.user.email, name: session.user.name };
}

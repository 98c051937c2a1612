import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.ts";

describe("the control plane's environment", () => {
  it("has working defaults when nothing is set", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.VIGIL_INIT_INGEST_KEY).toBeUndefined();
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", VIGIL_INIT_API_KEY: "" }).DATABASE_URL).toBeUndefined();
  });

  it("accepts well-formed bootstrap values", () => {
    const env = parseEnv({
      VIGIL_INIT_INGEST_KEY: "ingest-key-0123456789abcdef",
      VIGIL_INIT_API_KEY: "api-key-0123456789abcdefghij",
      VIGIL_INIT_ADMIN_EMAIL: "ops@example.com",
      VIGIL_INIT_ADMIN_PASSWORD: "correct horse battery",
    });
    expect(env.VIGIL_INIT_ADMIN_EMAIL).toBe("ops@example.com");
  });

  it.each([
    [
      "VIGIL_INIT_INGEST_KEY",
      { VIGIL_INIT_INGEST_KEY: "short" },
      /VIGIL_INIT_INGEST_KEY: must be at least 24 characters/,
    ],
    [
      "VIGIL_INIT_API_KEY",
      { VIGIL_INIT_API_KEY: "has spaces in it, which break headers" },
      /VIGIL_INIT_API_KEY: use only letters/,
    ],
    [
      "VIGIL_INIT_ADMIN_EMAIL",
      { VIGIL_INIT_ADMIN_EMAIL: "not-an-email", VIGIL_INIT_ADMIN_PASSWORD: "long enough" },
      /VIGIL_INIT_ADMIN_EMAIL: must be an email address/,
    ],
    [
      "VIGIL_INIT_ADMIN_PASSWORD",
      { VIGIL_INIT_ADMIN_EMAIL: "a@b.co", VIGIL_INIT_ADMIN_PASSWORD: "short" },
      /VIGIL_INIT_ADMIN_PASSWORD: must be at least 8 characters/,
    ],
    [
      "an admin email without a password",
      { VIGIL_INIT_ADMIN_EMAIL: "a@b.co" },
      /must be set together/,
    ],
    ["PORT", { PORT: "70000" }, /PORT:/],
    [
      "DATABASE_URL",
      { DATABASE_URL: "mysql://localhost/x" },
      /DATABASE_URL: must be a postgresql:\/\/ URL/,
    ],
    ["REDIS_URL", { REDIS_URL: "localhost:6379" }, /REDIS_URL: must be a redis:\/\//],
    [
      "VIGIL_TRUSTED_PROXIES",
      { VIGIL_TRUSTED_PROXIES: "10.0.0.0/8, haproxy" },
      /VIGIL_TRUSTED_PROXIES: must be IP addresses or CIDR ranges/,
    ],
    [
      "DATABASE_READ_URL",
      { DATABASE_READ_URL: "postgresql://replica/vigil" },
      /DATABASE_READ_URL needs DATABASE_URL/,
    ],
    [
      "VIGIL_SHARDS",
      { VIGIL_SHARDS: "postgresql://a/vigil, redis://b" },
      /VIGIL_SHARDS.*each shard must be a postgresql:\/\/ URL/,
    ],
    [
      "VIGIL_SHARDS twice",
      { VIGIL_SHARDS: "postgresql://a/vigil,postgresql://a/vigil" },
      /VIGIL_SHARDS: a shard is named twice/,
    ],
  ])("refuses a malformed %s and names it", (_name, source, message) => {
    expect(() => parseEnv(source)).toThrow(EnvError);
    expect(() => parseEnv(source)).toThrow(message);
  });

  it("reads VIGIL_SHARDS as a list of URLs", () => {
    expect(parseEnv({ VIGIL_SHARDS: "postgresql://a/s0, postgresql://b/s1" }).VIGIL_SHARDS).toEqual(
      ["postgresql://a/s0", "postgresql://b/s1"],
    );
  });

  it("reads VIGIL_DEMO as on (1), off (0) or unset, and says what it takes", () => {
    expect(parseEnv({ VIGIL_DEMO: "1" }).VIGIL_DEMO).toBe(true);
    expect(parseEnv({ VIGIL_DEMO: "0" }).VIGIL_DEMO).toBe(false);
    expect(parseEnv({ VIGIL_DEMO: "" }).VIGIL_DEMO).toBeUndefined();
    expect(() => parseEnv({ VIGIL_DEMO: "yes" })).toThrow(/VIGIL_DEMO: must be 0 or 1/);
  });

  it("reads VIGIL_SELF_OBSERVE as on (1), off (0) or unset, and says what it takes", () => {
    expect(parseEnv({ VIGIL_SELF_OBSERVE: "1" }).VIGIL_SELF_OBSERVE).toBe(true);
    expect(parseEnv({ VIGIL_SELF_OBSERVE: "0" }).VIGIL_SELF_OBSERVE).toBe(false);
    expect(parseEnv({}).VIGIL_SELF_OBSERVE).toBeUndefined();
    expect(() => parseEnv({ VIGIL_SELF_OBSERVE: "true" })).toThrow(
      /VIGIL_SELF_OBSERVE: must be 0 or 1/,
    );
  });

  it("refuses the same key for ingest and API", () => {
    const key = "same-key-0123456789abcdefgh";
    expect(() => parseEnv({ VIGIL_INIT_INGEST_KEY: key, VIGIL_INIT_API_KEY: key })).toThrow(
      /must differ/,
    );
  });
});

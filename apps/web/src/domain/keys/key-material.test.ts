import { describe, expect, it } from "vitest";
import { derivedKey, generateKey, hashKey } from "./key-material.ts";

describe("key material", () => {
  it("generates keys of the documented shape, each different", () => {
    const a = generateKey("ingest");
    expect(a).toMatch(/^vgl_ik_[A-Za-z0-9]{32}$/);
    expect(generateKey("ingest")).not.toBe(a);
    expect(generateKey("read")).toMatch(/^vgl_rk_/);
  });

  it("derives the same key from the same secret and purpose, another from any other", () => {
    const key = derivedKey("ingest", "shared-secret", "purpose");
    expect(key).toMatch(/^vgl_ik_[A-Za-z0-9]{32}$/);
    expect(derivedKey("ingest", "shared-secret", "purpose")).toBe(key);
    expect(derivedKey("ingest", "other-secret", "purpose")).not.toBe(key);
    expect(derivedKey("ingest", "shared-secret", "other purpose")).not.toBe(key);
    // Neither the secret nor the purpose shows in the key or its stored hash.
    expect(key).not.toContain("shared");
    expect(hashKey(key)).toMatch(/^[0-9a-f]{64}$/);
  });
});

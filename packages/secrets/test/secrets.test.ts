import { describe, expect, it } from "vitest";
import { deriveSecret, generateKey, needsReseal, open, parseKeyring, seal } from "../src/index";

describe("sealed secrets", () => {
  it("round-trips and never stores the plaintext", () => {
    const ring = parseKeyring(generateKey());
    const sealed = seal(ring, "sntrys_token_123");
    expect(sealed).not.toContain("sntrys_token_123");
    expect(sealed.startsWith("v1.")).toBe(true);
    expect(open(ring, sealed)).toBe("sntrys_token_123");
    expect(seal(ring, "same")).not.toBe(seal(ring, "same"));
  });

  it("detects tampering", () => {
    const ring = parseKeyring(generateKey());
    const [v, iv, tag, ct] = seal(ring, "secret").split(".");
    const flipped = Buffer.from(ct!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(() => open(ring, [v, iv, tag, flipped.toString("base64url")].join("."))).toThrow();
  });

  it("rotates: old values open with the old key, new ones use the new key", () => {
    const oldKey = generateKey();
    const before = parseKeyring(oldKey);
    const sealedOld = seal(before, "old");
    const after = parseKeyring(`v2:${generateKey()},v1:${oldKey}`);
    expect(open(after, sealedOld)).toBe("old");
    expect(needsReseal(after, sealedOld)).toBe(true);
    const sealedNew = seal(after, "new");
    expect(sealedNew.startsWith("v2.")).toBe(true);
    expect(() => open(before, sealedNew)).toThrow(/key not in ENCRYPTION_KEY/);
  });

  it("rejects keys of the wrong size or version", () => {
    expect(() => parseKeyring("c2hvcnQ=")).toThrow(/32 bytes/);
    expect(() => parseKeyring(`x1:${generateKey()}`)).toThrow(/look like v1/);
    expect(() => parseKeyring("")).toThrow(/no key/);
  });
});

describe("derived secrets", () => {
  it("are stable per key and purpose, and differ across purposes and keys", () => {
    const keyring = parseKeyring(generateKey());
    const a = deriveSecret(keyring, "better-auth");
    expect(a).toBe(deriveSecret(keyring, "better-auth"));
    expect(a).toHaveLength(43);
    expect(deriveSecret(keyring, "other")).not.toBe(a);
    expect(deriveSecret(parseKeyring(generateKey()), "better-auth")).not.toBe(a);
    expect(a).not.toContain(keyring.keys.get(keyring.current)!.toString("base64url"));
  });
});

import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Secrets at rest (OAuth tokens, internal-integration client secrets) are sealed with AES-256-GCM. Each
 * sealed value names the key version that sealed it (`v1.<iv>.<tag>.<ciphertext>`), so keys rotate by adding
 * a new version first in the keyring: new writes use it, old values still open until re-sealed.
 */
export interface Keyring {
  current: string;
  keys: ReadonlyMap<string, Buffer>;
}

const VERSION = /^v\d+$/;

/**
 * Parses `ENCRYPTION_KEY`: one base64 32-byte key (version v1), or a comma-separated list
 * `v2:<base64>,v1:<base64>` whose first entry seals new values.
 */
export function parseKeyring(value: string): Keyring {
  const entries = value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part, index) => {
      const [version, key] = part.includes(":") ? part.split(":", 2) : [`v${index + 1}`, part];
      if (!version || !VERSION.test(version))
        throw new Error(`key version "${version}" must look like v1`);
      const bytes = Buffer.from(key ?? "", "base64");
      if (bytes.length !== 32) {
        throw new Error(
          `key ${version} must be 32 bytes, base64-encoded (openssl rand -base64 32)`,
        );
      }
      return [version, bytes] as const;
    });
  if (entries.length === 0) throw new Error("no key given");
  return { current: entries[0]![0], keys: new Map(entries) };
}

export function generateKey(): string {
  return randomBytes(32).toString("base64");
}

export function seal(keyring: Keyring, plaintext: string): string {
  const key = keyring.keys.get(keyring.current)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [keyring.current, iv, tag, ciphertext]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

export function open(keyring: Keyring, sealed: string): string {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  const key = version ? keyring.keys.get(version) : undefined;
  if (!key || !iv || !tag || ciphertext === undefined) {
    throw new Error(
      `cannot open secret sealed with key ${version ?? "?"}: key not in ENCRYPTION_KEY`,
    );
  }
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(ciphertext, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}

/** Whether a value was sealed with an older key and should be re-sealed. */
export function needsReseal(keyring: Keyring, sealed: string): boolean {
  return !sealed.startsWith(`${keyring.current}.`);
}

/**
 * A secret for another purpose (e.g. signing session cookies) derived from the current key with HKDF, so
 * a deployment configures one key, and no purpose's secret reveals another's or the key itself.
 */
export function deriveSecret(keyring: Keyring, purpose: string): string {
  const key = keyring.keys.get(keyring.current)!;
  return Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), purpose, 32)).toString("base64url");
}

import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** Prefixed random ids (`ws_…`, `key_…`): recognisable in logs and URLs, 128 bits of entropy. */
export function newId(prefix: string, bytes = 16): string {
  const raw = randomBytes(bytes);
  let out = "";
  for (const byte of raw) out += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${out}`;
}

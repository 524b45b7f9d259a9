/** Every command prints one JSON document with --json, and a readable line or table without it. */
export interface Output {
  json: boolean;
  result(value: unknown, human: string | (() => string)): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(value, human) {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      else process.stdout.write(`${typeof human === "function" ? human() : human}\n`);
    },
  };
}

export class UsageError extends Error {
  override name = "UsageError";
}

export function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return "(none)";
  const keys = Object.keys(rows[0]!);
  const cell = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v ?? ""));
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell(r[k]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join("  ");
  return [line(keys), ...rows.map((r) => line(keys.map((k) => cell(r[k]))))].join("\n");
}

import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { hmacSha256Hex } from "@repo/webhooks";
import { z } from "zod";

const FILES = ["webhooks.jsonl", "queries.jsonl", "manifest.json"] as const;

export const deliverySchema = z.object({
  resource: z.string().min(1),
  /** The raw request body, byte for byte what Sentry signs: never re-serialised. */
  body: z
    .string()
    .min(1)
    .refine(
      (body) => {
        try {
          JSON.parse(body);
          return true;
        } catch {
          return false;
        }
      },
      { message: "body is not a JSON document" },
    ),
  timestamp: z.number().optional(),
});
export type Delivery = z.infer<typeof deliverySchema>;

/**
 * The request Sentry would send for a recorded delivery: the body unchanged (the signature covers its exact
 * bytes), signed with the client secret, stamped now (the recorded timestamp would be refused as stale).
 */
export function replayRequest(delivery: Delivery, secret: string): RequestInit {
  return {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "sentry-hook-resource": delivery.resource,
      "sentry-hook-timestamp": String(Math.floor(Date.now() / 1000)),
      "sentry-hook-signature": hmacSha256Hex(secret, delivery.body),
    },
    body: delivery.body,
  };
}

export const querySchema = z.object({
  id: z.string().min(1),
  query: z.string().trim().min(1),
  kind: z.string().min(1),
  difficulty: z.string().optional(),
  /** Issue shortIds, or `alert:<metric alert id>`. */
  relevant: z.array(z.string()),
  notes: z.string().optional(),
});
export type EvalQuery = z.infer<typeof querySchema>;

export const manifestSchema = z.looseObject({
  dataset: z.string().optional(),
  installation_uuid: z.string().min(1),
  org_slug: z.string().min(1),
});
export type Manifest = z.infer<typeof manifestSchema>;

export interface Dataset {
  dir: string;
  name: string;
  manifest: Manifest;
  deliveries: Delivery[];
  /** The queries that name at least one relevant item: only those can be scored. */
  queries: EvalQuery[];
  /** Ids of queries without any relevant item. */
  unlabelled: string[];
}

function issuesText(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ` : "") + issue.message)
    .join("; ");
}

function parseJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  const rows: T[] = [];
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, index) => {
      if (!line.trim()) return;
      const where = `${path.basename(file)} line ${index + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new Error(`${where} is not valid JSON (${file})`);
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) throw new Error(`${where}: ${issuesText(parsed.error)} (${file})`);
      rows.push(parsed.data);
    });
  if (rows.length === 0) throw new Error(`${file} holds no rows`);
  return rows;
}

/** Reads and validates a dataset directory laid out like ../shared/eval/dev. */
export function loadDataset(dir: string): Dataset {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`dataset directory ${dir} does not exist`);
  }
  const missing = FILES.filter((f) => !existsSync(path.join(dir, f)));
  if (missing.length > 0) {
    throw new Error(
      `dataset ${dir} has no ${missing.join(", ")} (a dataset holds ${FILES.join(", ")})`,
    );
  }

  const manifestFile = path.join(dir, "manifest.json");
  let rawManifest: unknown;
  try {
    rawManifest = JSON.parse(readFileSync(manifestFile, "utf8"));
  } catch {
    throw new Error(`${manifestFile} is not valid JSON`);
  }
  const manifest = manifestSchema.safeParse(rawManifest);
  if (!manifest.success) throw new Error(`${manifestFile}: ${issuesText(manifest.error)}`);

  const queries = parseJsonl(path.join(dir, "queries.jsonl"), querySchema);
  const seen = new Set<string>();
  for (const q of queries) {
    if (seen.has(q.id)) throw new Error(`queries.jsonl repeats query id ${q.id} (${dir})`);
    seen.add(q.id);
  }

  const labelled = queries.filter((q) => q.relevant.some((r) => r.trim()));
  if (labelled.length === 0)
    throw new Error(`${dir}/queries.jsonl has no query with relevant items`);
  return {
    dir,
    name: manifest.data.dataset ?? path.basename(dir),
    manifest: manifest.data,
    deliveries: parseJsonl(path.join(dir, "webhooks.jsonl"), deliverySchema),
    queries: labelled,
    unlabelled: queries.filter((q) => !labelled.includes(q)).map((q) => q.id),
  };
}

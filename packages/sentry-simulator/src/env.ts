import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { z } from "zod";

/**
 * The CLI's configuration, from flags only (the simulator reads no environment variables). Defaults suit
 * local development next to `pnpm dev` on port 3000. The default client pair is fixed and public: it is
 * a test double's credential, printed at start so it can be copied into .env.
 */
const fixed = (label: string) =>
  createHash("sha256").update(`sentry-simulator ${label}`).digest("hex");

export const DEFAULTS = {
  port: 4010,
  clientId: fixed("client id"),
  clientSecret: fixed("client secret"),
  appSlug: "neural-memory",
  redirectUrl: "http://localhost:3000/sentry/connected",
  webhookUrl: "http://localhost:3000/api/sentry/webhooks",
  orgSlug: "acme",
  orgId: "1",
  issues: 200,
  webhookTimeoutMs: 1000,
} as const;

const USAGE = `Usage: pnpm sentry:simulator [options]     (this help: pnpm sentry:simulator -- --help)

  --port <n>                 listen on 127.0.0.1:<n> (default ${DEFAULTS.port}; 0 = any free port)
  --client-id <id>           the integration's client id (default: a fixed dev value)
  --client-secret <secret>   the integration's client secret (default: a fixed dev value)
  --app-slug <slug>          the integration's slug (default ${DEFAULTS.appSlug})
  --redirect-url <url>       the app's OAuth redirect (default ${DEFAULTS.redirectUrl})
  --webhook-url <url>        where webhooks go; "" for none (default ${DEFAULTS.webhookUrl})
  --org-slug <slug>          the installing organization (default ${DEFAULTS.orgSlug})
  --org-id <id>              its id (default ${DEFAULTS.orgId})
  --issues <n>               synthetic issues to seed (default ${DEFAULTS.issues})
  --webhook-timeout-ms <n>   delivery timeout (default ${DEFAULTS.webhookTimeoutMs}, Sentry's 1 s)
  --help                     this text
`;

const count = (name: string, min: number) =>
  z.coerce
    .number({ message: `--${name} must be a number` })
    .int(`--${name} must be a whole number`)
    .min(min, `--${name} must be >= ${min}`);

const schema = z.object({
  port: count("port", 0).max(65535),
  clientId: z.string().min(1, "--client-id must not be empty"),
  clientSecret: z.string().min(16, "--client-secret must be at least 16 characters"),
  appSlug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "--app-slug must be a Sentry slug"),
  redirectUrl: z.string().url("--redirect-url must be a URL"),
  webhookUrl: z.union([z.literal(""), z.string().url("--webhook-url must be a URL or empty")]),
  orgSlug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "--org-slug must be a Sentry slug"),
  orgId: z.string().regex(/^\d+$/, "--org-id must be numeric"),
  issues: count("issues", 0),
  webhookTimeoutMs: count("webhook-timeout-ms", 1),
});

export type CliConfig = z.infer<typeof schema>;

export type CliParse =
  | { ok: true; config: CliConfig }
  | { ok: false; message: string; help: boolean };

export function parseCli(argv: string[]): CliParse {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        port: { type: "string" },
        "client-id": { type: "string" },
        "client-secret": { type: "string" },
        "app-slug": { type: "string" },
        "redirect-url": { type: "string" },
        "webhook-url": { type: "string" },
        "org-slug": { type: "string" },
        "org-id": { type: "string" },
        issues: { type: "string" },
        "webhook-timeout-ms": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    return { ok: false, help: false, message: `${(error as Error).message}\n\n${USAGE}` };
  }
  if (values.help) return { ok: false, help: true, message: USAGE };
  const pick = (name: string, fallback: string | number) => values[name] ?? String(fallback);
  const parsed = schema.safeParse({
    port: pick("port", DEFAULTS.port),
    clientId: pick("client-id", DEFAULTS.clientId),
    clientSecret: pick("client-secret", DEFAULTS.clientSecret),
    appSlug: pick("app-slug", DEFAULTS.appSlug),
    redirectUrl: pick("redirect-url", DEFAULTS.redirectUrl),
    webhookUrl: pick("webhook-url", DEFAULTS.webhookUrl),
    orgSlug: pick("org-slug", DEFAULTS.orgSlug),
    orgId: pick("org-id", DEFAULTS.orgId),
    issues: pick("issues", DEFAULTS.issues),
    webhookTimeoutMs: pick("webhook-timeout-ms", DEFAULTS.webhookTimeoutMs),
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.message}`);
    return { ok: false, help: false, message: `Invalid options:\n${lines.join("\n")}\n\n${USAGE}` };
  }
  return { ok: true, config: parsed.data };
}

#!/usr/bin/env node
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const USAGE = `Usage: pnpm cli <command> [options] [--json]

  workspace create --name <name>          create a workspace
  workspace list                          list workspaces
  api-key create --workspace <id> [--name <name>] [--expires-in-days <n>]
                                          create an API key (the secret is printed once)
  migrate                                 apply database migrations (needed for DATABASE_URL servers)
  outbox status [--workspace <id>]        payload counts per status
  outbox retry [--workspace <id>] [--id <payloadId>...]
                                          queue failed payloads again
  stats --workspace <id>                  payloads, observations, entities, actors, clusters, relationships, vectors
  reindex --workspace <id>                clear a workspace's vectors and adopt the current embedding model
  sentry link --workspace <id> --installation <uuid> --org <slug>
              [--projects a,b] [--events issue,error,...] [--min-level warning] [--client-secret <s>]
                                          bind a Sentry installation to a workspace (internal with --client-secret)
  sentry connect-internal --workspace <id> --org <slug> --installation <uuid> --token <t> --client-secret <s>
                                          an internal integration without OAuth: its token and secret, sealed
  sentry send <fixture.json | dataset dir> [--url <webhook url>] [--secret <client secret>] [--resource <r>]
                                          sign and POST deliveries exactly as Sentry does

The CLI uses the same DATA_DIR / DATABASE_URL as the console; while the console runs on the embedded
database, the CLI connects through it.`;

async function main(argv: string[]): Promise<number> {
  // A root .env applies to the CLI as it does to the console; variables already set win.
  const root = path.resolve(import.meta.dirname, "../../../..");
  const dotenv = path.join(root, ".env");
  if (existsSync(dotenv)) process.loadEnvFile(dotenv);

  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: {
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      name: { type: "string" },
      workspace: { type: "string" },
      "expires-in-days": { type: "string" },
      id: { type: "string", multiple: true },
      installation: { type: "string" },
      org: { type: "string" },
      projects: { type: "string" },
      events: { type: "string" },
      "min-level": { type: "string" },
      "client-secret": { type: "string" },
      token: { type: "string" },
      secret: { type: "string" },
      url: { type: "string" },
      resource: { type: "string" },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }

  const { commands: core } = await import("./commands");
  const { sentryCommands } = await import("./sentry-commands");
  const commands = { ...core, ...sentryCommands };
  const { createOutput, UsageError } = await import("./output");
  const { openDatabaseFromEnv } = await import("../runtime/database");
  const name = [positionals.slice(0, 2).join(" "), positionals[0] ?? ""].find((n) => n in commands);
  if (!name) {
    console.error(`unknown command: ${positionals.join(" ")}\n\n${USAGE}`);
    return 2;
  }

  let handle: Awaited<ReturnType<typeof openDatabaseFromEnv>> | undefined;
  const out = createOutput(Boolean(values.json));
  try {
    await commands[name]!({
      args: positionals.slice(name.split(" ").length),
      flags: values,
      out,
      database: async () => {
        handle ??= await openDatabaseFromEnv("cli");
        return handle;
      },
    });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (out.json) console.error(JSON.stringify({ error: message }));
    else console.error(`error: ${message}`);
    return error instanceof UsageError ? 2 : 1;
  } finally {
    await handle?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

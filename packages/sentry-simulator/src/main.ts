import { parseCli } from "./env";
import { createSentrySimulator } from "./simulator";

/** `pnpm sentry:simulator [--port 4010 ...]`: a local stand-in for Sentry until SIGINT / SIGTERM. */
async function main(): Promise<void> {
  const parsed = parseCli(process.argv.slice(2).filter((arg) => arg !== "--"));
  if (!parsed.ok) {
    (parsed.help ? console.log : console.error)(parsed.message);
    process.exitCode = parsed.help ? 0 : 2;
    return;
  }
  const c = parsed.config;
  const sim = await createSentrySimulator({
    port: c.port,
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    appSlug: c.appSlug,
    redirectUrl: c.redirectUrl,
    webhookUrl: c.webhookUrl || undefined,
    organization: { slug: c.orgSlug, id: c.orgId },
    webhookTimeoutMs: c.webhookTimeoutMs,
    log: (line) => console.log(`[${new Date().toISOString()}] ${line}`),
  });
  sim.seedIssues(c.issues);

  console.log(`Sentry simulator (a test double of Sentry's public API, not Sentry) on ${sim.url}`);
  console.log(`\nPut these in .env for the console:\n`);
  console.log(`SENTRY_URL=${sim.url}`);
  console.log(`SENTRY_CLIENT_ID=${c.clientId}`);
  console.log(`SENTRY_CLIENT_SECRET=${c.clientSecret}`);
  console.log(`SENTRY_APP_SLUG=${c.appSlug}`);
  console.log(`\nInstall:   ${sim.url}/sentry-apps/${c.appSlug}/external-install/?state=<state>`);
  console.log(`Redirect:  ${c.redirectUrl}`);
  console.log(`Webhooks:  ${c.webhookUrl || "(none)"}`);
  console.log(`Org:       ${c.orgSlug} (id ${c.orgId}), ${c.issues} seeded issues`);
  console.log(
    `Control:   ${sim.url}/__simulator/{stats,installations,clock,issues,fail-next-refresh,deliver}`,
  );
  console.log(`\nCtrl-C to stop.`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the simulator`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});

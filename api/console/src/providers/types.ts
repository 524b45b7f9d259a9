import type { Database, WorkspaceIntegration } from "@db/console";
import type { Keyring } from "@repo/secrets";
import type { DeliveryDescription } from "@repo/webhooks";

export interface IngestContext {
  db: Database;
  keyring: Keyring;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

/** Which secret verifies a delivery, and where it belongs once verified. */
export type SecretResolution =
  | {
      kind: "verify";
      secret: string;
      workspaceId: string | null;
      integration?: WorkspaceIntegration;
    }
  | { kind: "unknown-installation"; message: string }
  | { kind: "revoked-installation"; message: string }
  | { kind: "not-configured"; message: string };

export interface LifecycleOutcome {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The server-side half of a provider (the pure half is in `@repo/webhooks`): how to find the secret for a
 * delivery, and the installation lifecycle events handled synchronously instead of captured.
 */
export interface ProviderIngest {
  resolveSecret(ctx: IngestContext, delivery: DeliveryDescription): Promise<SecretResolution>;
  /** Returns an outcome when the delivery was a lifecycle event it handled, else null. */
  handleLifecycle(
    ctx: IngestContext,
    delivery: DeliveryDescription,
    payload: unknown,
  ): Promise<LifecycleOutcome | null>;
}

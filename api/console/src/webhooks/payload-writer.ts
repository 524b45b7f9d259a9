import {
  type Database,
  type InsertPayloadParams,
  insertWebhookPayloads,
  type StoredPayload,
} from "@db/console";

type Result = { payload: StoredPayload; duplicate: boolean };
interface Pending {
  params: InsertPayloadParams;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for webhook deliveries. An idle writer stores a delivery at once; deliveries that arrive
 * while a statement runs wait for it and then go together in the next one. Under load that shares one
 * commit among many deliveries (the dominant cost on PGlite) without ever delaying a lone delivery.
 */
export class PayloadWriter {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly db: Database,
    private readonly maxBatch = 200,
  ) {}

  write(params: InsertPayloadParams): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ params, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const results = await insertWebhookPayloads(
            this.db,
            batch.map((p) => p.params),
          );
          for (const [i, p] of batch.entries()) p.resolve(results[i]!);
        } catch (error) {
          if (batch.length === 1) {
            batch[0]!.reject(error);
            continue;
          }
          // One bad row must not fail its neighbours: retry them one by one.
          for (const p of batch) {
            await insertWebhookPayloads(this.db, [p.params]).then(
              ([result]) => p.resolve(result!),
              p.reject,
            );
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}

const writers = new WeakMap<Database, PayloadWriter>();

export function payloadWriter(db: Database): PayloadWriter {
  let writer = writers.get(db);
  if (!writer) {
    writer = new PayloadWriter(db);
    writers.set(db, writer);
  }
  return writer;
}

DROP INDEX "webhook_payloads_outbox_idx";--> statement-breakpoint
ALTER TABLE "observations" ADD COLUMN "seq" bigserial NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace_webhook_payloads" ADD COLUMN "seq" bigserial NOT NULL;--> statement-breakpoint
CREATE INDEX "clusters_entity_keys_idx" ON "clusters" USING gin ("entity_keys");--> statement-breakpoint
CREATE INDEX "webhook_payloads_outbox_idx" ON "workspace_webhook_payloads" USING btree ("next_attempt_at","seq") WHERE "workspace_webhook_payloads"."status" in ('pending', 'processing');
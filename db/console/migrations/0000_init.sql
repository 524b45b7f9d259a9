CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"suffix" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "workspace_webhook_payloads" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text,
	"source" text NOT NULL,
	"resource" text NOT NULL,
	"action" text NOT NULL,
	"request_id" text,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"body" text NOT NULL,
	"body_sha256" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ingestion_source" text DEFAULT 'webhook' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"event" jsonb,
	"step_state" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"embedding_model" text,
	"embedding_dimension" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_webhook_payloads" ADD CONSTRAINT "workspace_webhook_payloads_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_workspace_idx" ON "api_keys" USING btree ("workspace_id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_payloads_source_sha_uq" ON "workspace_webhook_payloads" USING btree ("source","body_sha256");--> statement-breakpoint
CREATE INDEX "webhook_payloads_outbox_idx" ON "workspace_webhook_payloads" USING btree ("next_attempt_at") WHERE "workspace_webhook_payloads"."status" in ('pending', 'processing');--> statement-breakpoint
CREATE INDEX "webhook_payloads_workspace_idx" ON "workspace_webhook_payloads" USING btree ("workspace_id","received_at");
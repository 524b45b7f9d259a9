CREATE TABLE "actors" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"avatar_url" text,
	"observation_count" integer DEFAULT 0 NOT NULL,
	"last_active_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clusters" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"label" text NOT NULL,
	"centroid" text NOT NULL,
	"entity_keys" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"actor_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"observation_count" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "entities" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"category" text NOT NULL,
	"key" text NOT NULL,
	"label" text NOT NULL,
	"occurrence_count" integer DEFAULT 0 NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "observation_entities" (
	"observation_id" text NOT NULL,
	"entity_id" text NOT NULL,
	CONSTRAINT "observation_entities_observation_id_entity_id_pk" PRIMARY KEY("observation_id","entity_id")
);
--> statement-breakpoint
CREATE TABLE "observations" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"source" text NOT NULL,
	"source_type" text NOT NULL,
	"source_id" text NOT NULL,
	"payload_id" text,
	"status" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"snippet" text NOT NULL,
	"url" text,
	"observation_type" text NOT NULL,
	"topics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"significance" integer NOT NULL,
	"significance_signals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"actor_id" text,
	"cluster_id" text,
	"references" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"thread_keys" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "relationships" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"from_observation_id" text NOT NULL,
	"type" text NOT NULL,
	"to_observation_id" text,
	"target_key" text NOT NULL,
	"confidence" real DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "actors" ADD CONSTRAINT "actors_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clusters" ADD CONSTRAINT "clusters_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "entities" ADD CONSTRAINT "entities_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observation_entities" ADD CONSTRAINT "observation_entities_observation_id_observations_id_fk" FOREIGN KEY ("observation_id") REFERENCES "public"."observations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observation_entities" ADD CONSTRAINT "observation_entities_entity_id_entities_id_fk" FOREIGN KEY ("entity_id") REFERENCES "public"."entities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_actor_id_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."actors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_cluster_id_clusters_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."clusters"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationships" ADD CONSTRAINT "relationships_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationships" ADD CONSTRAINT "relationships_from_observation_id_observations_id_fk" FOREIGN KEY ("from_observation_id") REFERENCES "public"."observations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relationships" ADD CONSTRAINT "relationships_to_observation_id_observations_id_fk" FOREIGN KEY ("to_observation_id") REFERENCES "public"."observations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "actors_workspace_source_external_uq" ON "actors" USING btree ("workspace_id","source","external_id");--> statement-breakpoint
CREATE INDEX "actors_workspace_email_idx" ON "actors" USING btree ("workspace_id","email");--> statement-breakpoint
CREATE INDEX "clusters_workspace_open_idx" ON "clusters" USING btree ("workspace_id","status","last_seen_at");--> statement-breakpoint
CREATE UNIQUE INDEX "entities_workspace_category_key_uq" ON "entities" USING btree ("workspace_id","category","key");--> statement-breakpoint
CREATE INDEX "observation_entities_entity_idx" ON "observation_entities" USING btree ("entity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "observations_workspace_source_id_uq" ON "observations" USING btree ("workspace_id","source_id");--> statement-breakpoint
CREATE INDEX "observations_workspace_occurred_idx" ON "observations" USING btree ("workspace_id","occurred_at");--> statement-breakpoint
CREATE INDEX "observations_cluster_idx" ON "observations" USING btree ("cluster_id");--> statement-breakpoint
CREATE INDEX "observations_thread_keys_idx" ON "observations" USING gin ("thread_keys");--> statement-breakpoint
CREATE UNIQUE INDEX "relationships_edge_uq" ON "relationships" USING btree ("from_observation_id","type","target_key");--> statement-breakpoint
CREATE INDEX "relationships_to_idx" ON "relationships" USING btree ("to_observation_id");
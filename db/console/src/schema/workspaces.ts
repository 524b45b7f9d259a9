import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const workspaces = pgTable("workspaces", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  // URL-friendly and unique; better-auth's organization plugin requires it. Null only for workspaces made
  // before sign-in existed, until renamed.
  slug: text("slug").unique(),
  logo: text("logo"),
  metadata: text("metadata"),
  // The embedding model and dimension that wrote this workspace's vectors. Recorded on first use so a
  // later switch of EMBEDDINGS/OPENAI_* is refused instead of mixing incomparable vectors.
  embeddingModel: text("embedding_model"),
  embeddingDimension: integer("embedding_dimension"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type Workspace = typeof workspaces.$inferSelect;

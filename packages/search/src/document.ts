import type { SearchDocument } from "@repo/schemas";

export type { SearchDocument };

/** What a result is about: a Sentry issue, a metric alert, or (for anything else) the observation itself. */
export interface Subject {
  type: "issue" | "alert" | "observation";
  id: string;
}

export const subjectKey = (s: Subject) => `${s.type}:${s.id}`;

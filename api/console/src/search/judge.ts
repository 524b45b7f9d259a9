import { createOpenAI } from "@vendor/openai";
import { z } from "zod";

/** A relevance judge for `mode: "thorough"`: scores in [0, 1] by result key, for the candidates it saw. */
export interface Judge {
  readonly model: string;
  judge(
    query: string,
    candidates: readonly { key: string; title: string; snippet: string }[],
  ): Promise<Map<string, number>>;
}

/** How many of the best balanced results the judge reads: enough for a first page and a margin. */
export const JUDGED_CANDIDATES = 20;
/** Weight of the judge against the balanced score in thorough mode. */
export const JUDGE_WEIGHT = 0.5;

const verdictSchema = z.object({
  scores: z.array(z.object({ id: z.string(), score: z.number().min(0).max(3) })),
});

const INSTRUCTIONS = [
  "You judge search results for an engineering team's incident memory (Sentry issues, errors, alerts, comments).",
  "For each result, rate how well it answers the query: 3 = exactly what was asked, 2 = clearly relevant,",
  "1 = related but not what was asked, 0 = unrelated. Judge by the title and snippet only.",
  'Reply with JSON only: {"scores": [{"id": "<result id>", "score": <0-3>}]} with one entry per result.',
].join(" ");

/**
 * An OpenAI chat model as the judge. It sees the query and each candidate's title and snippet, never the
 * workspace's other data; ids are positional (`r1`, `r2`, ...) so nothing internal leaves the process.
 */
export function createOpenAIJudge(options: {
  apiKey: string;
  baseURL?: string | undefined;
  model: string;
  timeoutMs?: number;
}): Judge {
  // The search request is waiting: one attempt within the timeout, and balanced results if it fails.
  const client = createOpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 8000,
  });
  return {
    model: options.model,
    async judge(query, candidates) {
      if (candidates.length === 0) return new Map();
      const listing = candidates
        .map((c, i) => `r${i + 1}: ${c.title}\n${c.snippet}`.slice(0, 600))
        .join("\n\n");
      const completion = await client.chat.completions.create({
        model: options.model,
        temperature: 0,
        response_format: { type: "json_object" },
        messages: [
          { role: "system", content: INSTRUCTIONS },
          { role: "user", content: `Query: ${query}\n\nResults:\n${listing}` },
        ],
      });
      const text = completion.choices[0]?.message.content ?? "";
      const verdict = verdictSchema.parse(JSON.parse(text));
      const scores = new Map<string, number>();
      for (const { id, score } of verdict.scores) {
        const candidate = candidates[Number(id.replace(/^r/, "")) - 1];
        if (candidate) scores.set(candidate.key, score / 3);
      }
      return scores;
    },
  };
}

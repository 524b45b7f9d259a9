import { describe, expect, it } from "vitest";
import { failOnIssues } from "../src/index";

describe("failOnIssues", () => {
  it("names each variable in the thrown message", () => {
    expect(() =>
      failOnIssues([
        { message: "must be a URL", path: ["DATABASE_URL"] },
        { message: "EMBEDDINGS must be openai, use or lexical", path: [{ key: "EMBEDDINGS" }] },
      ]),
    ).toThrowError(
      "Invalid environment variables:\n  DATABASE_URL: must be a URL\n  EMBEDDINGS must be openai, use or lexical",
    );
  });
});

import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";
import { searchRequestSchema } from "./search";

describe("openApiDocument", () => {
  const doc = openApiDocument();
  const request = doc.components.schemas.SearchRequest as {
    properties: Record<string, { default?: unknown; maxLength?: number; enum?: string[] }>;
    required?: string[];
    additionalProperties?: boolean;
  };

  it("is OpenAPI 3.1 and describes POST /v1/search with its error answers", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths["/v1/search"].post.responses).sort()).toEqual(
      ["200", "400", "401", "405", "413", "429", "500"].sort(),
    );
    expect(doc.components.securitySchemes.apiKey.scheme).toBe("bearer");
  });

  it("is generated from the request schema: limits, defaults and enums match what the handler accepts", () => {
    expect(request.required).toEqual(["query"]);
    expect(request.properties.query?.maxLength).toBe(1000);
    expect(request.properties.limit?.default).toBe(10);
    expect(request.properties.mode?.enum).toEqual(["fast", "balanced", "thorough"]);
    expect(request.properties.groupBy?.default).toBe("entity");
    expect(request.additionalProperties).toBe(false);
    // The defaults documented are the defaults applied.
    const parsed = searchRequestSchema.parse({ query: "x" });
    for (const [name, property] of Object.entries(request.properties)) {
      if (property.default !== undefined) {
        expect(parsed[name as keyof typeof parsed]).toEqual(property.default);
      }
    }
  });

  it("describes every field of a result, including the entity reference", () => {
    const response = JSON.stringify(doc.components.schemas.SearchResponse);
    for (const field of [
      "timeline",
      "highlights",
      "explain",
      "relevantActors",
      "paths",
      "rerank",
    ]) {
      expect(response).toContain(`"${field}"`);
    }
  });
});

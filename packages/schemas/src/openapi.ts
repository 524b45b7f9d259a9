import { z } from "zod";
import { apiErrorSchema, searchRequestSchema, searchResponseSchema } from "./search";

/** A schema as OpenAPI 3.1 reads it (JSON Schema 2020-12), without the per-schema `$schema` marker. */
function jsonSchema(schema: z.ZodType, io: "input" | "output") {
  const { $schema: _marker, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return rest;
}

function errorResponse(description: string) {
  return {
    description,
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  };
}

/**
 * The public API's OpenAPI 3.1 document, generated from the same zod schemas the handlers validate with,
 * so the document cannot drift from the code.
 */
export function openApiDocument(options: { serverUrl?: string } = {}) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Neural memory console API",
      version: "1.0.0",
      description:
        "Search what happened in a workspace's developer tools. Every request is scoped to the workspace of its API key.",
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    security: [{ apiKey: [] }],
    paths: {
      "/v1/search": {
        post: {
          operationId: "search",
          summary: "Hybrid search over the workspace's observations",
          description:
            "Runs the vector, entity, lexical, cluster and actor paths in parallel, fuses them with weighted reciprocal rank fusion and reranks by mode. Results are grouped per Sentry issue or alert unless groupBy is none.",
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: { $ref: "#/components/schemas/SearchRequest" } },
            },
          },
          responses: {
            "200": {
              description: "Results, context, per-path status and per-stage latency",
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/SearchResponse" } },
              },
            },
            "400": errorResponse("INVALID_JSON, or VALIDATION_ERROR with zod's issues"),
            "401": errorResponse("UNAUTHORIZED: missing, unknown, revoked or expired API key"),
            "405": errorResponse("METHOD_NOT_ALLOWED: only POST"),
            "413": errorResponse("PAYLOAD_TOO_LARGE: bodies are at most 64 KiB"),
            "429": {
              ...errorResponse("RATE_LIMITED: too many requests for this API key"),
              headers: {
                "Retry-After": {
                  description: "Seconds until the key may search again",
                  schema: { type: "integer" },
                },
              },
            },
            "500": errorResponse("INTERNAL_ERROR: the server failed; retry later"),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description: "An API key created in the console (`nmc_...`); it decides the workspace.",
        },
      },
      schemas: {
        SearchRequest: jsonSchema(searchRequestSchema, "input"),
        SearchResponse: jsonSchema(searchResponseSchema, "output"),
        Error: jsonSchema(apiErrorSchema, "output"),
      },
    },
  };
}

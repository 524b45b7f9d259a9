import { openApiDocument } from "@repo/schemas";

export const dynamic = "force-static";

export const GET = () => Response.json(openApiDocument());

import { handleWebhook, methodNotAllowed } from "@api/console";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = (request: Request) => handleWebhook("sentry", request);
export const GET = methodNotAllowed;

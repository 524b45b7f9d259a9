import { getHealth, getRuntime } from "@api/console";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET() {
  const health = await getHealth(await getRuntime());
  return Response.json(health, { status: health.status === "ok" ? 200 : 503 });
}

import { handleSearch, methodNotAllowed } from "@api/console";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = (request: Request) => handleSearch(request);
export const GET = methodNotAllowed;

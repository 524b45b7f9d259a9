import { createInngestFunctions, getRuntime, inngest } from "@api/console";
import { selectedEngine } from "@api/console/runtime";
import { serve } from "@vendor/inngest/next";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handlers =
  selectedEngine() === "inngest"
    ? serve({ client: inngest, functions: createInngestFunctions(getRuntime) })
    : undefined;

// On the embedded default the same workflows run in-process; answering 404 tells an Inngest server
// pointed here by mistake that this console is not its app, instead of a signing-key error.
function disabled() {
  return Response.json(
    {
      error: "INNGEST_DISABLED",
      message:
        "workflows run in-process; set INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY (or INNGEST_DEV=1) to serve Inngest",
    },
    { status: 404 },
  );
}

export const GET = handlers?.GET ?? disabled;
export const POST = handlers?.POST ?? disabled;
export const PUT = handlers?.PUT ?? disabled;

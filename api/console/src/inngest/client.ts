import { createInngestClient } from "@vendor/inngest";

export const inngest = createInngestClient("apps-console");

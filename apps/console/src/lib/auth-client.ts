"use client";

import { organizationClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";

/**
 * The browser side of better-auth: sign-in and sign-up go through its HTTP endpoints (not server actions)
 * so its per-IP rate limit and origin check apply to every attempt.
 */
export const authClient = createAuthClient({ plugins: [organizationClient()] });

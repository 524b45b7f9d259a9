/** Only same-site paths: an open redirect after sign-in would hand the fresh session's tab to anyone. */
export function safeNext(next: string | undefined | null): string {
  return next?.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A small self-contained page for route handlers that must answer a browser with a status code (an OAuth
 * callback that fails answers 400, not a redirect to a page that would answer 200).
 */
export function htmlPage(params: {
  status: number;
  title: string;
  message: string;
  link?: { href: string; label: string } | undefined;
}): Response {
  const link = params.link
    ? `<p><a href="${escapeHtml(params.link.href)}">${escapeHtml(params.link.label)}</a></p>`
    : "";
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(params.title)}</title><style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:15vh auto;padding:0 1rem;color:#111;line-height:1.5}a{color:inherit}</style></head><body><h1>${escapeHtml(params.title)}</h1><p>${escapeHtml(params.message)}</p>${link}</body></html>`;
  return new Response(body, {
    status: params.status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

/**
 * A redirect within the console by path. Relative on purpose: behind `next start` a route handler's
 * request.url names localhost whatever host the browser used, and a redirect there would drop its cookies.
 */
export function redirectTo(path: string): Response {
  return new Response(null, {
    status: 302,
    headers: { location: path, "cache-control": "no-store" },
  });
}

// Matches a request path against route templates ("/api/v1/mailboxes/{mailbox}/token"). Segments are
// percent-decoded after splitting, so an address with %40 or + works and a %2F cannot add a segment.

export interface CompiledRoute<T> {
  route: T;
  method: string;
  segments: ({ literal: string } | { param: string })[];
}

export type RouteMatch<T> = { kind: "match"; route: T; params: Record<string, string> } | { kind: "wrong_method"; allowed: string[] } | { kind: "none" };

export function compileRoutes<T extends { method: string; path: string }>(routes: readonly T[]): CompiledRoute<T>[] {
  return routes.map((route) => ({
    route,
    method: route.method,
    segments: route.path
      .split("/")
      .slice(1)
      .map((s) => (s.startsWith("{") && s.endsWith("}") ? { param: s.slice(1, -1) } : { literal: s })),
  }));
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export function matchRoute<T>(compiled: readonly CompiledRoute<T>[], method: string, pathname: string): RouteMatch<T> {
  const parts = pathname.split("/").slice(1);
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop(); // one trailing slash is forgiven
  const allowed: string[] = [];
  for (const c of compiled) {
    if (c.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const seg = c.segments[i]!;
      const part = parts[i]!;
      if ("literal" in seg) ok = seg.literal === part;
      else {
        const value = decodeSegment(part);
        ok = value !== null && value !== "";
        if (ok) params[seg.param] = value!;
      }
    }
    if (!ok) continue;
    if (c.method === method) return { kind: "match", route: c.route, params };
    allowed.push(c.method);
  }
  return allowed.length > 0 ? { kind: "wrong_method", allowed } : { kind: "none" };
}

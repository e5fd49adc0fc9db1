type Handler = (request: Request) => Promise<Response>
export function serveRoute(
  handlers: Record<string, Handler>,
  options?: { port?: number; host?: string; path?: string },
): Promise<{ url: string; close(): Promise<void> }>

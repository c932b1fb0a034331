import { Agent, request } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'

/**
 * `fetch` from a given loopback address (127.0.0.0/8 all reaches this machine), so that nginx and
 * the app's per-address rate limit see one client per simulated phone, or one carrier NAT for many.
 * Only what `fetchTransport` and the load generator use: method, headers, string body, signal.
 */
export function boundFetch(localAddress: string): typeof fetch {
  return nodeFetch(new Agent({ keepAlive: true, maxSockets: 8, localAddress }))
}

/** `fetch` over HTTPS trusting `ca` (the harness's self-signed certificate) and nothing else. */
export function httpsFetch(ca: string): typeof fetch {
  return nodeFetch(new HttpsAgent({ keepAlive: true, ca }), httpsRequest)
}

function nodeFetch(agent: Agent | HttpsAgent, send: typeof request = request): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url)
    const body = typeof init.body === 'string' ? init.body : undefined
    const headers: Record<string, string> = {}
    new Headers(init.headers).forEach((v, k) => {
      headers[k] = v
    })
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body))
    return new Promise<Response>((resolve, reject) => {
      const req = send(url, { method: init.method ?? 'GET', headers, agent, signal: init.signal ?? undefined }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const out = new Headers()
          for (const [k, v] of Object.entries(res.headers)) {
            if (typeof v === 'string') out.set(k, v)
            else for (const one of v ?? []) out.append(k, one)
          }
          const status = res.statusCode ?? 502
          resolve(new Response(status === 204 ? null : Buffer.concat(chunks), { status, headers: out }))
        })
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end(body)
    })
  }) as typeof fetch
}

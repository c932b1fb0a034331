import { Agent, createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * What the proxy does to each request it is given to spoil (probabilities, the rest pass through).
 * The faults are the ones a resident's phone meets on a mobile network in front of a server that
 * may itself be dying: the request never arrives, the server commits but the answer never comes back,
 * a copy of the request arrives long after the phone has given up on it (and after its resend),
 * and every request and answer waits a random while, so concurrent devices overtake each other.
 */
export interface FaultPlan {
  /** The request is never forwarded; the phone's connection is cut. */
  drop: number
  /** Forwarded; the server answers (commits); the answer is thrown away and the connection cut. */
  loseAnswer: number
  /** The phone's connection is cut at once, but the request reaches the server 0.5–3 s later. */
  late: number
  /** Each way, each request waits a uniform 0..maxDelayMs. */
  maxDelayMs: number
}

export const CHAOS_FAULTS: FaultPlan = { drop: 0.2, loseAnswer: 0.1, late: 0.05, maxDelayMs: 150 }

export interface ProxyStats {
  requests: number
  dropped: number
  lostAnswers: number
  late: number
  passed: number
  /** Forwarded requests the upstream did not answer (it was down or was killed mid-request). */
  upstreamErrors: number
  /** Answers with a 5xx status (nginx's 502 when no instance is up). */
  serverErrors: number
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host'])

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/**
 * An HTTP proxy on loopback that spoils the requests whose path starts with `faultyPrefix` (the sync
 * endpoint) according to a `FaultPlan`, and passes everything else through untouched.
 */
export class FaultProxy {
  readonly stats: ProxyStats = { requests: 0, dropped: 0, lostAnswers: 0, late: 0, passed: 0, upstreamErrors: 0, serverErrors: 0 }
  private server: Server | null = null
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 })
  private readonly pendingLate = new Set<Promise<void>>()

  constructor(
    private readonly upstream: string,
    public plan: FaultPlan,
    private readonly random: () => number = Math.random,
    private readonly faultyPrefix = '/api/v1/sync',
  ) {}

  async listen(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res))
    this.server.keepAliveTimeout = 5_000
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    const { port } = this.server.address() as AddressInfo
    return `http://127.0.0.1:${port}`
  }

  async close(): Promise<void> {
    await Promise.all([...this.pendingLate])
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve()
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
    this.agent.destroy()
  }

  private delay(): Promise<void> {
    return sleep(Math.floor(this.random() * this.plan.maxDelayMs))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Buffer
    try {
      body = await readBody(req)
    } catch {
      res.destroy()
      return
    }
    if (!(req.url ?? '').startsWith(this.faultyPrefix)) {
      await this.forwardAndReply(req, body, res)
      return
    }
    this.stats.requests++
    const r = this.random()
    const { drop, loseAnswer, late } = this.plan
    await this.delay()
    if (r < drop) {
      this.stats.dropped++
      res.destroy()
    } else if (r < drop + loseAnswer) {
      this.stats.lostAnswers++
      await this.forward(req, body).catch(() => {
        this.stats.upstreamErrors++
      })
      res.destroy()
    } else if (r < drop + loseAnswer + late) {
      this.stats.late++
      res.destroy()
      const p = sleep(500 + Math.floor(this.random() * 2500))
        .then(() => this.forward(req, body))
        .then(
          () => undefined,
          () => {
            this.stats.upstreamErrors++
          },
        )
      this.pendingLate.add(p)
      void p.finally(() => this.pendingLate.delete(p))
    } else {
      this.stats.passed++
      await this.forwardAndReply(req, body, res, true)
    }
  }

  private async forwardAndReply(req: IncomingMessage, body: Buffer, res: ServerResponse, delayAnswer = false): Promise<void> {
    let answer: { status: number; headers: Record<string, string | string[]>; body: Buffer }
    try {
      answer = await this.forward(req, body)
    } catch {
      this.stats.upstreamErrors++
      // What a phone sees when the server is gone: the connection fails.
      res.destroy()
      return
    }
    if (answer.status >= 500) this.stats.serverErrors++
    if (delayAnswer) await this.delay()
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) })
    res.end(answer.body)
  }

  /** Sends the request upstream and reads the whole answer (so "the server committed" is known). */
  private forward(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    const url = new URL(req.url ?? '/', this.upstream)
    const headers: Record<string, string | string[]> = {}
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v
    headers['content-length'] = String(body.length)
    return new Promise((resolve, reject) => {
      const up = request(url, { method: req.method, headers, agent: this.agent, timeout: 30_000 }, (upRes) => {
        const chunks: Buffer[] = []
        upRes.on('data', (c: Buffer) => chunks.push(c))
        upRes.on('end', () => {
          const out: Record<string, string | string[]> = {}
          for (const [k, v] of Object.entries(upRes.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v
          resolve({ status: upRes.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) })
        })
        upRes.on('error', reject)
      })
      up.on('timeout', () => up.destroy(new Error('upstream timeout')))
      up.on('error', reject)
      up.end(body)
    })
  }
}

import { createHmac } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CampaignDetail, SyncResponse } from '@minyi/shared/schemas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServer, startServer } from '../support/server.ts'
import { templateAnswers, uuidv7 } from './server-harness.ts'

// Issue 10 point 7: the server's own output (stdout and stderr, at the most verbose log level) of a
// full flow — passwords, tokens, answers with comments, door-to-door answers and visits keyed by a door
// number — holds none of those values.

const ADMIN_PASSWORD = 'admin-log-privacy-pw-9f3k'
const WORKER_PASSWORD = 'worker-log-privacy-pw-7q2m'
const COMMENT_QR = '楼道灯坏了三个月ZQX-LOGCHECK-1'
const COMMENT_DOOR = '希望增加老年食堂ZQX-LOGCHECK-2'
const DOOR_NUMBER = '幸福路88号3栋2单元1402'

describe('what the server writes to its logs', () => {
  let server: RunningServer
  const secrets: string[] = [ADMIN_PASSWORD, WORKER_PASSWORD, COMMENT_QR, COMMENT_DOOR, DOOR_NUMBER]
  beforeAll(async () => {
    server = await startServer({
      env: { ADMIN_PASSWORD, LOG_LEVEL: 'debug', KEY_DIR: join(mkdtempSync(join(tmpdir(), 'minyi-logkeys-')), 'keys') },
    })
  }, 120_000)
  afterAll(async () => {
    await server?.stop()
  })

  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: r.status, body: await r.json().catch(() => null) }
  }

  it('should hold no password, token, answer, comment or door number after a full flow', async () => {
    const wrong = await call('POST', '/api/v1/auth/login', { login: 'admin', password: `${ADMIN_PASSWORD}-wrong` })
    expect(wrong.status).toBe(401)
    const admin = await call('POST', '/api/v1/auth/login', { login: 'admin', password: ADMIN_PASSWORD })
    expect(admin.status).toBe(200)
    const adminToken = admin.body.token as string
    secrets.push(adminToken)
    const list = await call('GET', '/api/v1/campaigns', undefined, adminToken)
    const detail = (await call('GET', `/api/v1/campaigns/${list.body[0].id}`, undefined, adminToken)).body
    const campaign = CampaignDetail.parse(detail)
    // Staff get the campaign's door-number salt beside the detail.
    const salt = detail.householdSalt as string
    expect(salt.length).toBeGreaterThan(0)
    const community = campaign.communities[0]?.id ?? ''
    const worker = await call(
      'POST',
      '/api/v1/staff',
      { name: '日志检查员', login: 'logcheck', role: 'worker', communityIds: [community], password: WORKER_PASSWORD },
      adminToken,
    )
    expect(worker.status).toBe(201)
    const workerLogin = await call('POST', '/api/v1/auth/login', { login: 'logcheck', password: WORKER_PASSWORD })
    expect(workerLogin.status).toBe(200)
    const workerToken = workerLogin.body.token as string
    secrets.push(workerToken)
    const apiToken = await call('POST', '/api/v1/tokens', { name: 'log check' }, adminToken)
    expect(apiToken.status).toBe(201)
    secrets.push(apiToken.body.token)
    expect((await call('GET', `/api/v1/campaigns/${campaign.id}/indicator`, undefined, apiToken.body.token)).status).toBe(200)

    const now = Date.now() - 2000
    const version = campaign.questionnaire?.version ?? 1
    const response = (channel: 'qr' | 'door', comment: string, householdKey: string | null) => ({
      kind: 'response',
      id: uuidv7(now),
      campaignId: campaign.id,
      questionnaireVersion: version,
      communityId: community,
      channel,
      startedAt: new Date(now - 120_000).toISOString(),
      submittedAt: new Date(now).toISOString(),
      answers: { ...templateAnswers(), q_suggestions: comment },
      householdKey,
      symposiumId: null,
    })
    const qr = await call('POST', '/api/v1/sync', {
      deviceId: 'log-check-phone-1',
      appVersion: '1',
      outboxSize: 0,
      items: [response('qr', COMMENT_QR, null)],
    })
    expect(SyncResponse.parse(qr.body).results[0]?.status).toBe('created')
    // The worker's phone keys the door number with the campaign's salt; the number itself is never sent.
    const householdKey = createHmac('sha256', salt).update(DOOR_NUMBER).digest('hex')
    const door = response('door', COMMENT_DOOR, householdKey)
    const visit = {
      kind: 'visit',
      id: uuidv7(now + 1),
      campaignId: campaign.id,
      communityId: community,
      householdKey,
      outcome: 'completed',
      visitedAt: new Date(now).toISOString(),
      responseId: door.id,
    }
    const sent = await call(
      'POST',
      '/api/v1/sync',
      { deviceId: 'log-check-phone-2', appVersion: '1', outboxSize: 0, items: [door, visit] },
      workerToken,
    )
    expect(SyncResponse.parse(sent.body).results.map((r) => r.status)).toEqual(['created', 'created'])
    // Bad input on the way, which the server answers (and may log) as errors.
    expect(
      (await call('POST', '/api/v1/sync', { deviceId: 'x', items: [{ ...door, answers: { q_suggestions: COMMENT_DOOR } }] }, workerToken))
        .status,
    ).toBe(400)
    expect(
      (await call('GET', `/api/v1/campaigns/${campaign.id}/comments?q=${encodeURIComponent('ZQX')}`, undefined, adminToken)).status,
    ).toBe(200)
    await call('POST', '/api/v1/auth/logout', undefined, workerToken)

    const output = server.output()
    expect(output.length).toBeGreaterThan(0)
    for (const s of secrets) expect(output, `the log holds ${s.slice(0, 12)}…`).not.toContain(s)
    expect(output).not.toContain(householdKey)
  }, 120_000)
})

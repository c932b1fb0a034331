import { TEMPLATE_QUESTIONNAIRE } from '@minyi/shared'
import { PROBLEMS } from '@minyi/shared/problems'
import { describe, expect, it } from 'vitest'
import { ApiError, createApi } from '../../client/src/console/api.ts'
import { problemText } from '../../client/src/console/logic/problems.ts'

const CAMPAIGN = '0190f0c2-9b1a-7c3d-8e4f-0a1b2c3d4e5f'
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

/** An API whose every call is answered by `answer`; records the paths asked and the sign-outs. */
function fake(answer: (path: string, init: RequestInit | undefined) => Response | Promise<Response>) {
  const paths: string[] = []
  let signedOut = 0
  const api = createApi(
    async (input, init) => {
      paths.push(String(input))
      return answer(String(input), init)
    },
    () => {
      signedOut++
    },
  )
  return { api, paths, signedOut: () => signedOut }
}

const rejection = async (p: Promise<unknown>): Promise<ApiError> => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  )
  if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`)
  return e
}

describe('console api', () => {
  it('should return the parsed answer, without fields its schema does not name, when the shape fits', async () => {
    const { api, paths } = fake(() => json([{ id: CAMPAIGN, title: '2026年度', status: 'open', householdSalt: 'secret' }]))
    await expect(api.campaigns()).resolves.toEqual([{ id: CAMPAIGN, title: '2026年度', status: 'open' }])
    expect(paths).toEqual(['/api/v1/campaigns'])
  })

  it('should fill the schema defaults when the draft comes back from the server', async () => {
    const { questions, ...rest } = TEMPLATE_QUESTIONNAIRE
    const stripped = { ...rest, questions: questions.map(({ required: _r, profile: _p, ...q }) => q) }
    const { api } = fake(() => json(stripped))
    const draft = await api.draft(CAMPAIGN)
    expect(draft.questions.every((q) => typeof q.required === 'boolean' && typeof q.profile === 'boolean')).toBe(true)
    expect(draft.questions.map((q) => q.id)).toEqual(questions.map((q) => q.id))
  })

  it('should reject with malformed_reply, naming the path, when a 200 answer does not fit the schema', async () => {
    const { api } = fake(() => json({ ok: 'yes', length: 3, firstBadSeq: null }))
    const e = await rejection(api.verify(CAMPAIGN))
    expect(e.code).toBe('malformed_reply')
    // The wrong-typed field is named first; the signed head's fields, absent here, are named after it.
    expect(e.details.map((d) => d.path)[0]).toBe('ok')
  })

  it('should reject with the server code and its field details when the server answers 400', async () => {
    const { api } = fake(() =>
      json(
        {
          code: 'validation_failed',
          message: '提交的内容不符合要求',
          details: [{ path: 'closesAt', message: 'closesAt must be after opensAt' }],
        },
        400,
      ),
    )
    const e = await rejection(api.patchCampaign(CAMPAIGN, { title: 'x' }))
    expect([e.status, e.code, e.details]).toEqual([
      400,
      'validation_failed',
      [{ path: 'closesAt', message: 'closesAt must be after opensAt' }],
    ])
  })

  it('should reject with network when the request never reaches the server', async () => {
    const { api } = fake(() => Promise.reject(new TypeError('Failed to fetch')))
    await expect(rejection(api.campaigns())).resolves.toMatchObject({ status: 0, code: 'network' })
  })

  it('should reject with unavailable when a 5xx answer has no JSON body', async () => {
    const { api } = fake(() => new Response('<html>bad gateway</html>', { status: 502 }))
    await expect(rejection(api.campaigns())).resolves.toMatchObject({ status: 502, code: 'unavailable' })
  })

  it('should announce the sign-out when a call finds the session gone, but not when /auth/me asks', async () => {
    const { api, signedOut } = fake(() => json({ code: 'session_expired', message: '登录已过期' }, 401))
    await rejection(api.me())
    expect(signedOut()).toBe(0)
    await rejection(api.indicator(CAMPAIGN))
    expect(signedOut()).toBe(1)
  })

  it('should reject a symposium with the code of its rejected sync item', async () => {
    const { api } = fake(() =>
      json({
        results: [{ id: 'x', status: 'rejected', code: 'unknown_community', message: '社区不在本次调查范围内' }],
        serverTime: new Date().toISOString(),
      }),
    )
    const e = await rejection(
      api.record({
        kind: 'symposium',
        id: CAMPAIGN,
        campaignId: CAMPAIGN,
        title: 't',
        date: '2026-05-01',
        place: '',
        communityId: CAMPAIGN,
        streetId: null,
        host: '',
        recorder: '',
        attendees: { party_member: 0, resident: 9, unit: 0, cadre: 0, other: 0 },
        remarks: [],
      }),
    )
    expect(e.code).toBe('unknown_community')
  })

  it('should send writes as JSON with the session cookie', async () => {
    let seen: RequestInit | undefined
    const { api } = fake((_p, init) => {
      seen = init
      return json({ revoked: 2 })
    })
    await expect(api.revokeSessions(CAMPAIGN)).resolves.toEqual({ revoked: 2 })
    expect(seen).toMatchObject({ method: 'POST', credentials: 'same-origin' })
  })
})

describe('console problem text', () => {
  const CJK = /[\u3400-\u9fff]/

  it('should word a server code in English, never with the server zh message, when the console is in English', () => {
    const text = problemText(new ApiError(401, 'invalid_credentials'), 'en')
    expect(text).toBe(PROBLEMS.invalid_credentials.en)
    expect(text).not.toMatch(CJK)
  })

  it('should name the refused fields, with the reason only in English, when validation failed', () => {
    const e = new ApiError(400, 'validation_failed', [
      { path: 'questions.3.title.zh', message: 'Too small' },
      { path: 'questions.3.title.zh', message: 'Too small' },
    ])
    expect(problemText(e, 'zh')).toBe(`${PROBLEMS.validation_failed.zh}（questions.3.title.zh）`)
    expect(problemText(e, 'en')).toBe(`${PROBLEMS.validation_failed.en} (questions.3.title.zh: Too small)`)
  })

  it('should use the console wording, not the resident one, when the network is down', () => {
    expect(problemText(new ApiError(0, 'network'), 'zh')).toBe('连不上服务器，请检查网络后重试。')
    expect(problemText(new ApiError(0, 'network'), 'zh')).not.toBe(PROBLEMS.network.zh)
  })

  it('should name an unknown code rather than invent a message when the code is not in any catalogue', () => {
    expect(problemText(new ApiError(418, 'teapot'), 'en')).toBe('The request failed (teapot).')
  })

  it('should not show a script error message when the failure is not an API error', () => {
    expect(problemText(new TypeError('Cannot read properties of undefined'), 'en')).toBe('The page failed; reload it and retry.')
  })
})

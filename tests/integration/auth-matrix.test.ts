import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession } from '../../server/src/services/auth.ts'
import { ROOT } from '../support/server.ts'
import { DIALECTS, type Harness, startApp } from './auth-harness.ts'

/**
 * THE ACCESS RULES, one row per route of the app. `ok` = let through (whatever the handler then answers),
 * 401 = `unauthenticated`, 403 = `forbidden`. Staff call with a bearer session, the read-only column with
 * an API token (mya_). The test walks Hono's `app.routes`: a route missing here, or a row for a route
 * that no longer exists, fails — so a new route cannot ship without a decided rule.
 * docs/ACCESS.md carries the same table; the test checks that it does.
 */
const ok = 'ok'
type Cell = typeof ok | 401 | 403
type Row = [route: string, anonymous: Cell, worker: Cell, evaluator: Cell, admin: Cell, readonly: Cell]
const PRINCIPALS = ['anonymous', 'worker', 'evaluator', 'admin', 'readonly'] as const

// biome-ignore format: aligned as a table, to be read as the documentation of who may call what
const ACCESS: Row[] = [
  // route                                                     anonymous worker evaluator admin readonly
  ['GET /api/v1/health',                                           ok,     ok,     ok,     ok,     ok],
  ['GET /api/v1/openapi.json',                                     ok,     ok,     ok,     ok,     ok],
  ['POST /api/v1/auth/login',                                      ok,     ok,     ok,     ok,     ok],
  ['POST /api/v1/auth/logout',                                     ok,     ok,     ok,     ok,     ok],
  // The worker app's QR sign-in: the one-time code is the credential.
  ['POST /api/v1/auth/enrol',                                      ok,     ok,     ok,     ok,     ok],
  ['GET /api/v1/auth/me',                                          401,    ok,     ok,     ok,     403],
  ['POST /api/v1/auth/sessions/:id/revoke',                        401,    ok,     ok,     ok,     403],
  ['GET /api/v1/staff',                                            401,    403,    403,    ok,     403],
  ['POST /api/v1/staff',                                           401,    403,    403,    ok,     403],
  ['GET /api/v1/staff/:id',                                        401,    403,    403,    ok,     403],
  ['PATCH /api/v1/staff/:id',                                      401,    403,    403,    ok,     403],
  ['POST /api/v1/staff/:id/password',                              401,    403,    403,    ok,     403],
  ['GET /api/v1/staff/:id/sessions',                               401,    403,    403,    ok,     403],
  ['POST /api/v1/staff/:id/sessions/revoke',                       401,    403,    403,    ok,     403],
  ['POST /api/v1/staff/:id/enrolment',                             401,    403,    403,    ok,     403],
  ['GET /api/v1/tokens',                                           401,    403,    403,    ok,     403],
  ['POST /api/v1/tokens',                                          401,    403,    403,    ok,     403],
  ['POST /api/v1/tokens/:id/revoke',                               401,    403,    403,    ok,     403],
  // The audit log of staff actions: admins only (it names every account and what each did).
  ['GET /api/v1/audit',                                            401,    403,    403,    ok,     403],
  ['GET /api/v1/audit/verify',                                     401,    403,    403,    ok,     403],
  ['GET /api/v1/audit/export.csv',                                 401,    403,    403,    ok,     403],
  ['GET /api/v1/campaigns',                                        401,    ok,     ok,     ok,     ok],
  ['POST /api/v1/campaigns',                                       401,    403,    ok,     ok,     403],
  ['GET /api/v1/campaigns/:id',                                    401,    ok,     ok,     ok,     ok],
  ['PATCH /api/v1/campaigns/:id',                                  401,    403,    ok,     ok,     403],
  ['GET /api/v1/campaigns/:id/questionnaire',                      401,    403,    ok,     ok,     403],
  ['PUT /api/v1/campaigns/:id/questionnaire',                      401,    403,    ok,     ok,     403],
  ['POST /api/v1/campaigns/:id/questionnaire/publish',             401,    403,    ok,     ok,     403],
  // Not workers: a QR link lets anyone submit as a resident of that community, which would bypass the
  // worker's community assignment and interviewer attribution. Evaluators print the posters.
  ['GET /api/v1/campaigns/:id/links',                              401,    403,    ok,     ok,     403],
  ['POST /api/v1/campaigns/:id/household-codes',                   401,    403,    ok,     ok,     403],
  ['GET /api/v1/campaigns/:id/indicator',                          401,    403,    ok,     ok,     ok],
  ['GET /api/v1/campaigns/:id/breakdown/:questionId',              401,    403,    ok,     ok,     ok],
  // Quota progress; a worker sees only the communities assigned to them.
  ['GET /api/v1/campaigns/:id/progress',                           401,    ok,     ok,     ok,     403],
  ['GET /api/v1/campaigns/:id/activity',                           401,    403,    ok,     ok,     403],
  ['GET /api/v1/campaigns/:id/devices',                            401,    403,    ok,     ok,     403],
  ['GET /api/v1/campaigns/:id/workers',                            401,    403,    ok,     ok,     403],
  ['GET /api/v1/campaigns/:id/log/verify',                         401,    403,    ok,     ok,     ok],
  ['GET /api/v1/campaigns/:id/responses',                          401,    403,    ok,     ok,     403],
  ['PATCH /api/v1/campaigns/:id/responses/:responseId/review',     401,    403,    ok,     ok,     403],
  // Retention (issue 15): the dry run and "delete now" of a campaign's raw material, admins only.
  ['GET /api/v1/campaigns/:id/retention',                          401,    403,    403,    ok,     403],
  ['POST /api/v1/campaigns/:id/retention/delete',                  401,    403,    403,    ok,     403],
  ['GET /api/v1/campaigns/:id/conflicts',                          401,    403,    ok,     ok,     403],
  ['GET /api/v1/campaigns/:id/comments',                           401,    403,    ok,     ok,     403],
  ['GET /api/v1/campaigns/:id/symposiums',                         401,    403,    ok,     ok,     403],
  ['POST /api/v1/campaigns/:id/symposiums/:symposiumId/link',      401,    403,    ok,     ok,     403],
  // A count only (no answers): the recorder may put it on the projector from a worker session.
  ['GET /api/v1/campaigns/:id/symposiums/:symposiumId/count',      401,    ok,     ok,     ok,     403],
  // The 整改台账 with its history (who changed what); its summary is a statistic like the indicator.
  ['GET /api/v1/campaigns/:id/ledger',                             401,    403,    ok,     ok,     403],
  ['GET /api/v1/campaigns/:id/ledger.csv',                         401,    403,    ok,     ok,     403],
  ['GET /api/v1/campaigns/:id/ledger/summary',                     401,    403,    ok,     ok,     ok],
  ['PUT /api/v1/campaigns/:id/remarks/:remarkId/public',           401,    403,    ok,     ok,     403],
  // Every answer and comment: not for read-only statistics tokens.
  ['GET /api/v1/campaigns/:id/export.xlsx',                        401,    403,    ok,     ok,     403],
  ['GET /api/v1/campaigns/:id/export.csv',                         401,    403,    ok,     ok,     403],
  // The report section: figures and counts, never an answer or a comment — like the indicator.
  ['GET /api/v1/campaigns/:id/report.docx',                        401,    403,    ok,     ok,     ok],
  ['GET /api/v1/org-units',                                        401,    ok,     ok,     ok,     ok],
  ['POST /api/v1/org-units',                                       401,    403,    ok,     ok,     403],
  ['PATCH /api/v1/org-units/:id',                                  401,    403,    ok,     ok,     403],
  ['GET /api/v1/links/:token',                                     ok,     ok,     ok,     ok,     ok],
  // A community's public page of what was done: the link token is the key, as for the questionnaire.
  ['GET /api/v1/links/:token/remarks',                             ok,     ok,     ok,     ok,     ok],
  ['POST /api/v1/sync',                                            ok,     ok,     ok,     ok,     403],
  ['POST /api/v1/sync/import',                                     401,    ok,     ok,     ok,     403],
  ['GET /*',                                                       ok,     ok,     ok,     ok,     ok],
]

/** What a denial looks like; anything else counts as let through. */
const DENIED: Record<401 | 403, string> = { 401: 'unauthenticated', 403: 'forbidden' }

function routesOf(h: Harness): string[] {
  // `ALL` entries are middleware (authenticate, requireRole on a router, static files, headers).
  const keys = h.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`)
  return [...new Set(keys)].sort()
}

/** A concrete URL for a route pattern: every `:param` an unknown UUID, the SPA's `/*` a client-side page. */
function concretePath(pattern: string): string {
  return pattern.replace(/:\w+/g, () => randomUUID()).replace(/^\/\*$/, '/console/campaigns')
}

describe.each(DIALECTS)('authorisation matrix on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let userIds: Record<'worker' | 'evaluator' | 'admin', string>
  let apiToken: string

  beforeAll(async () => {
    // A stand-in client build, so that the SPA route exists as in production and is covered too.
    const dist = mkdtempSync(join(tmpdir(), 'minyi-dist-'))
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>minyi</title>')
    h = await startApp(dialect, { CLIENT_DIST: dist })
    userIds = {
      worker: (await h.staff('worker', 'worker', [randomUUID()])).id,
      evaluator: (await h.staff('evaluator', 'evaluator')).id,
      admin: (await h.staff('admin', 'admin2')).id,
    }
    const created = await h.call('POST', '/api/v1/tokens', {
      token: (await createSession(h.deps, userIds.admin)).token,
      body: { name: 'matrix' },
    })
    apiToken = created.body.token
  })
  afterAll(async () => {
    await h?.close()
  })

  it('should have a rule for every route of the app, and no rule for a route that is gone', () => {
    const actual = routesOf(h)
    const ruled = ACCESS.map(([route]) => route)
    expect(
      actual.filter((r) => !ruled.includes(r)),
      'routes without a row in ACCESS',
    ).toEqual([])
    expect(
      ruled.filter((r) => !actual.includes(r)),
      'rows in ACCESS for routes that do not exist',
    ).toEqual([])
  })

  it.each(ACCESS)('%s → anonymous %s, worker %s, evaluator %s, admin %s, read-only %s', async (route, ...cells) => {
    const [method, pattern] = route.split(' ') as [string, string]
    const outcomes: string[] = []
    for (const [i, who] of PRINCIPALS.entries()) {
      // A fresh session per call: logout or a revocation in one cell must not leak into the next.
      const token = who === 'anonymous' ? undefined : who === 'readonly' ? apiToken : (await createSession(h.deps, userIds[who])).token
      const body = method === 'GET' ? undefined : {}
      const r = await h.call(method, concretePath(pattern), { token, body })
      const code = typeof r.body === 'object' && r.body !== null ? r.body.code : undefined
      const got: Cell = r.status === 401 && code === DENIED[401] ? 401 : r.status === 403 && code === DENIED[403] ? 403 : ok
      // Let-through calls with unknown ids or empty bodies end in 4xx answers, never in a server error.
      const note = got === ok && r.status >= 500 ? ` (but ${r.status} ${code})` : ''
      outcomes.push(`${who}: ${got === cells[i] && !note ? 'as expected' : `expected ${cells[i]}, got ${got}${note}`}`)
    }
    expect(outcomes.filter((o) => !o.endsWith('as expected'))).toEqual([])
  })

  it('should be the table docs/ACCESS.md shows', () => {
    const doc = readFileSync(join(ROOT, 'docs/ACCESS.md'), 'utf8')
    const rows = doc
      .split('\n')
      .filter((l) => /^\| `[A-Z]+ /.test(l))
      .map((l) =>
        l
          .split('|')
          .slice(1, -1)
          .map((s) => s.trim().replace(/`/g, '')),
      )
      .map(([route, ...cells]) => [route, ...cells.map((c) => (c === '✓' ? ok : Number(c)))])
    expect(rows).toEqual(ACCESS)
  })
})

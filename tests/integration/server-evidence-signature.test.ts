import { createPublicKey, verify } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { reportParagraph } from '@minyi/shared/method'
import { ChainVerdict, evidenceHeadMessage, Indicator } from '@minyi/shared/schemas'
import ExcelJS from 'exceljs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadEnv } from '../../server/src/env.ts'
import { chainHash, contentHash, GENESIS } from '../../server/src/services/evidence.ts'
import { canonicalJson } from '../../server/src/services/hashing.ts'
import { serverKeys } from '../../server/src/services/keys.ts'
import { upgradeWithKeys } from '../../server/src/services/upgrade.ts'
import { DIALECTS, type Harness, startApp } from './auth-harness.ts'
import { type CampaignSetup, download, responseItem, setupCampaign, sheetValues, sync } from './server-harness.ts'

// Issue 10 point 5: the evidence chain is anchored outside the database. Each head is signed with the
// Ed25519 key in KEY_DIR; verify checks the signature, so an attacker who can write the database —
// changes an answer, recomputes its content hash, every later chain hash and the head — no longer gets
// `ok`. The head (seq, hash, signature) and the public key are in the indicator (console), the report
// paragraph and the XLSX method sheet; verify also says whether a published head is still in the chain.

describe.each(DIALECTS)('signed evidence heads on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let s: CampaignSetup
  beforeEach(async () => {
    h = await startApp(dialect)
    s = await setupCampaign(h)
  })
  afterEach(async () => {
    await h.close()
  })

  const verifyCall = async (query = '') => {
    const r = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/log/verify${query}`, { token: s.evaluator.token })
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    return ChainVerdict.parse(r.body)
  }
  const indicator = async () => {
    const r = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/indicator`, { token: s.evaluator.token })
    expect(r.status).toBe(200)
    return Indicator.parse(r.body)
  }

  /** What an attacker with write access to the database does: edit one answer, then make every hash agree again. */
  async function rewriteAnswer(responseId: string) {
    const db = h.db.db
    const row = await db.selectFrom('responses').selectAll().where('id', '=', responseId).executeTakeFirstOrThrow()
    const answers = JSON.parse(row.answers_json) as Record<string, unknown>
    answers.q_overall = answers.q_overall === 5 ? 1 : 5
    const answersJson = canonicalJson(answers)
    await db.updateTable('responses').set({ answers_json: answersJson }).where('id', '=', responseId).execute()
    const newContent = contentHash({ ...row, answers_json: answersJson })
    const log = await db.selectFrom('evidence_log').selectAll().where('campaign_id', '=', s.campaignId).orderBy('seq').execute()
    let prev = GENESIS
    for (const e of log) {
      const content = e.response_id === responseId ? newContent : e.content_hash
      const hash = chainHash(prev, Number(e.seq), e.response_id, content)
      await db
        .updateTable('evidence_log')
        .set({ content_hash: content, prev_hash: prev, hash })
        .where('campaign_id', '=', s.campaignId)
        .where('seq', '=', e.seq)
        .execute()
      prev = hash
    }
    await db.updateTable('evidence_heads').set({ seq: log.length, hash: prev }).where('campaign_id', '=', s.campaignId).execute()
  }

  it('should sign each head so that anyone with the public key can check it', async () => {
    const items = [responseItem(h, s), responseItem(h, s), responseItem(h, s)]
    expect((await sync(h, items)).status).toBe(200)
    const v = await verifyCall()
    expect(v).toMatchObject({ ok: true, length: 3, firstBadSeq: null, signature: 'valid', published: null })
    const head = v.head
    if (!head?.signature) throw new Error('no signed head')
    expect(head.seq).toBe(3)
    // Checked with node:crypto alone, from what is published: the message format, the PEM, the signature.
    const publicKey = createPublicKey(head.publicKey)
    expect(
      verify(null, Buffer.from(evidenceHeadMessage(s.campaignId, head.seq, head.hash)), publicKey, Buffer.from(head.signature, 'base64')),
    ).toBe(true)
    // The next batch moves the head and signs it again.
    await sync(h, [responseItem(h, s)])
    const next = await verifyCall()
    expect(next.head?.seq).toBe(4)
    expect(next.signature).toBe('valid')
    expect(next.head?.signature).not.toBe(head.signature)
  })

  it('should fail verify on the signature when answers are rewritten and every later hash and the head recomputed', async () => {
    const items = [responseItem(h, s), responseItem(h, s), responseItem(h, s), responseItem(h, s)]
    await sync(h, items)
    const published = (await indicator()).evidence
    if (!published) throw new Error('the indicator lacks the evidence head')
    expect(published.seq).toBe(4)
    await rewriteAnswer(items[1]!.id)
    const v = await verifyCall()
    // Every link and content hash agrees again — the walk alone would say ok, as before the fix …
    expect(v.firstBadSeq).toBeNull()
    // … but the head is no longer the one the key signed.
    expect(v.signature).toBe('invalid')
    expect(v.ok).toBe(false)
    // The head a report printed before the rewrite is no longer in the chain.
    const checked = await verifyCall(`?seq=${published.seq}&hash=${published.hash}`)
    expect(checked.published).toEqual({ seq: 4, hash: published.hash, matches: false })
    expect(checked.ok).toBe(false)
    // Clearing the signature does not help either.
    await h.db.db.updateTable('evidence_heads').set({ signature: null }).where('campaign_id', '=', s.campaignId).execute()
    expect(await verifyCall()).toMatchObject({ ok: false, signature: 'missing' })
  })

  it('should say a published head still matches while the chain is intact, and refuse a half-given one', async () => {
    await sync(h, [responseItem(h, s), responseItem(h, s)])
    const head = (await indicator()).evidence
    if (!head) throw new Error('no head')
    await sync(h, [responseItem(h, s)])
    const v = await verifyCall(`?seq=${head.seq}&hash=${head.hash}`)
    expect(v).toMatchObject({ ok: true, signature: 'valid', published: { seq: 2, hash: head.hash, matches: true } })
    const half = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/log/verify?seq=2`, { token: s.evaluator.token })
    expect(half.status).toBe(400)
  })

  it('should print the head, its signature and the public key in the report paragraph and the XLSX method sheet', async () => {
    await sync(h, [responseItem(h, s), responseItem(h, s)])
    const ind = await indicator()
    const head = ind.evidence
    if (!head?.signature) throw new Error('no signed head')
    const paragraph = reportParagraph(ind)
    expect(paragraph).toContain(`共${head.seq}条记录`)
    expect(paragraph).toContain(head.hash)
    expect(paragraph).toContain(head.signature)
    expect(paragraph).toContain(head.publicKeyId)
    const file = await download(h, `/api/v1/campaigns/${s.campaignId}/export.xlsx`, s.evaluator.token)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(file.bytes as unknown as ArrayBuffer)
    const method = new Map(sheetValues(wb.getWorksheet('方法')).map(([k, v]) => [k, v]))
    expect(method.get('证据链链首序号')).toBe(2)
    expect(method.get('证据链链首哈希')).toBe(head.hash)
    expect(method.get('链首签名（Ed25519，base64）')).toBe(head.signature)
    // Written as text: a cell starting with '-' gets the formula-injection guard's leading quote.
    expect(String(method.get('服务器公钥（PEM）')).replace(/^'/, '')).toBe(head.publicKey.trim())
    expect(String(method.get('证据链校验'))).toContain('签名有效')
    const indicatorSheet = new Map(sheetValues(wb.getWorksheet('指标')).map(([k, v]) => [k, v]))
    expect(String(indicatorSheet.get('报告段落'))).toContain(head.signature)
  })

  it('should sign heads stored before the key existed once, at the first start with a key directory', async () => {
    await sync(h, [responseItem(h, s)])
    // As migration 0012 leaves a head stored by the previous release.
    await h.db.db.updateTable('evidence_heads').set({ signature: null, key_id: null }).where('campaign_id', '=', s.campaignId).execute()
    const keyDir = mkdtempSync(join(tmpdir(), 'minyi-upgrade-keys-'))
    const deps = { ...h.deps, env: { ...h.env, KEY_DIR: keyDir } }
    await upgradeWithKeys(deps)
    const signed = await h.db.db.selectFrom('evidence_heads').selectAll().where('campaign_id', '=', s.campaignId).executeTakeFirstOrThrow()
    expect(signed.key_id).toBe(serverKeys({ KEY_DIR: keyDir }).keyId)
    // Never again for that key directory: a signature cleared later stays cleared.
    await h.db.db.updateTable('evidence_heads').set({ signature: null }).where('campaign_id', '=', s.campaignId).execute()
    await upgradeWithKeys(deps)
    const after = await h.db.db
      .selectFrom('evidence_heads')
      .select('signature')
      .where('campaign_id', '=', s.campaignId)
      .executeTakeFirstOrThrow()
    expect(after.signature).toBeNull()
  })
})

describe('the key files', () => {
  it('should be created on first use in KEY_DIR, readable by the owner only, and the same on the next read', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'minyi-keyfiles-')), 'nested', 'keys')
    const env = loadEnv({ KEY_DIR: dir }, [])
    const keys = serverKeys(env)
    expect(keys.created).toBe(true)
    for (const f of ['evidence-ed25519.pem', 'hash-secret']) {
      expect(existsSync(join(dir, f))).toBe(true)
      expect(statSync(join(dir, f)).mode & 0o077).toBe(0)
    }
    expect(readFileSync(join(dir, 'evidence-ed25519.pem'), 'utf8')).toContain('PRIVATE KEY')
    expect(keys.publicKeyPem).toContain('PUBLIC KEY')
    expect(serverKeys(env).keyId).toBe(keys.keyId)
  })
})

import { execFileSync } from 'node:child_process'
import { createHash, randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatInterval, formatRate, formatScore } from '@minyi/shared/method'
import { Indicator } from '@minyi/shared/schemas'
import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, type Harness, startApp } from './auth-harness.ts'
import { type CampaignSetup, download, responseItem, rng, setupCampaign, sync, templateAnswers, uuidv7 } from './server-harness.ts'

// `GET /api/v1/campaigns/:id/report.docx`, read back: the .docx is unzipped, its document.xml parsed into
// tables, and every figure compared with `GET …/indicator` — on both databases. Then (when Debian's
// LibreOffice is installed) converted to PDF, its text searched with pdftotext and page 1 drawn with pdftoppm.

const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p))
const REQUIRE_LIBREOFFICE = process.env.REQUIRE_LIBREOFFICE === '1'

interface Docx {
  xml: string
  styles: string
  media: Map<string, Buffer>
  /** Tables by their caption (the paragraph above them), as rows of cell texts. */
  tables: Map<string, string[][]>
  /** Every paragraph's text, in order. */
  paragraphs: string[]
}

const textOf = (xml: string) =>
  [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)]
    .map((m) => m[1] ?? '')
    .join('')
    .replaceAll('&amp;', '&')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')

async function readDocx(bytes: Buffer): Promise<Docx> {
  const zip = await JSZip.loadAsync(bytes)
  const xml = (await zip.file('word/document.xml')?.async('string')) ?? ''
  const styles = (await zip.file('word/styles.xml')?.async('string')) ?? ''
  const media = new Map<string, Buffer>()
  for (const name of Object.keys(zip.files).filter((n) => n.startsWith('word/media/')))
    media.set(name, (await zip.file(name)?.async('nodebuffer')) ?? Buffer.alloc(0))
  const tables = new Map<string, string[][]>()
  // A table's caption is the last paragraph before it.
  const parts = xml.split(/<w:tbl>/)
  for (let i = 1; i < parts.length; i++) {
    const before = parts[i - 1] ?? ''
    const paras = before.split('</w:p>').filter((p) => p.includes('<w:p'))
    const caption = textOf(paras[paras.length - 1] ?? '')
    const body = (parts[i] ?? '').split('</w:tbl>')[0] ?? ''
    const rows = body
      .split('</w:tr>')
      .filter((r) => r.includes('<w:tc>'))
      .map((r) =>
        r
          .split('</w:tc>')
          .filter((c) => c.includes('<w:p'))
          .map(textOf),
      )
    tables.set(caption, rows)
  }
  const paragraphs = xml
    .replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, '')
    .split('</w:p>')
    .map(textOf)
    .filter((t) => t !== '')
  return { xml, styles, media, tables, paragraphs }
}

function tableStarting(doc: Docx, prefix: RegExp): string[][] {
  const hit = [...doc.tables].find(([caption]) => prefix.test(caption))
  if (!hit) throw new Error(`no table captioned ${prefix} among ${[...doc.tables.keys()].join(' | ')}`)
  return hit[1]
}

const small = (rate: number | null, smallSample: boolean) => (rate !== null && smallSample ? `${formatRate(rate)}*` : formatRate(rate))

describe.each(DIALECTS)('report.docx on $dialect', ({ dialect, skip }) => {
  if (skip) {
    it.skip('PostgreSQL is not reachable: these suites are SKIPPED', () => {})
    return
  }
  let h: Harness
  let s: CampaignSetup
  let ind: Indicator
  let doc: Docx
  let bytes: Buffer

  beforeAll(async () => {
    h = await startApp(dialect)
    s = await setupCampaign(h, { communities: 3 })
    const random = rng(14)
    // 70 answers: 40, 22 and 8 by community, so two communities are small samples (METHOD.md §9).
    const per = [40, 22, 8]
    const items = per.flatMap((k, c) =>
      Array.from({ length: k }, () =>
        responseItem(h, s, {
          communityId: s.communityIds[c],
          answers: { ...templateAnswers(random), q_improve: ['employment', 'elderly'] },
        }),
      ),
    )
    for (const [i, item] of items.entries())
      expect((await sync(h, [item], { deviceId: `report-device-${i}` })).body.results[0].status).toBe('created')
    const remark = (kind: string, status: string | null) => ({
      id: randomUUID(),
      speakerCategory: 'resident',
      kind,
      text: '楼道灯不亮',
      followUp: status ? { owner: '王主任', dueDate: '2026-04-01', status } : null,
    })
    const symposium = {
      kind: 'symposium',
      id: randomUUID(),
      campaignId: s.campaignId,
      title: '社区服务群众座谈会',
      date: '2026-03-01',
      place: '社区党群服务中心',
      communityId: s.communityIds[0],
      streetId: null,
      host: '王书记',
      recorder: '李干事',
      attendees: { party_member: 5, resident: 12, unit: 1, cadre: 2, other: 0 },
      remarks: [remark('problem', 'done'), remark('problem', 'todo'), remark('suggestion', 'in_progress'), remark('praise', null)],
    }
    expect((await sync(h, [symposium], { token: s.evaluator.token })).body.results[0].status).toBe('created')
    const sheet = responseItem(h, s, { channel: 'symposium', symposiumId: symposium.id, communityId: s.communityIds[0] })
    expect((await sync(h, [sheet], { token: s.evaluator.token })).body.results[0].status).toBe('created')
    // Door to door in community 0 (METHOD.md §11): four households, two completed, one refused, one not at home.
    const worker = await h.staff('worker', 'report.door', [s.communityIds[0] ?? ''])
    const visits = (['completed', 'completed', 'refused', 'not_home'] as const).map((outcome, i) => ({
      kind: 'visit',
      id: uuidv7(h.clock.now().getTime() - 60_000 + i),
      campaignId: s.campaignId,
      communityId: s.communityIds[0],
      householdKey: createHash('sha256').update(`door-${i}`).digest('hex'),
      outcome,
      visitedAt: new Date(h.clock.now().getTime() - 60_000 + i).toISOString(),
      responseId: null,
    }))
    expect(
      (await sync(h, visits, { token: worker.token, deviceId: 'report-worker-phone' })).body.results.map(
        (r: { status: string }) => r.status,
      ),
    ).toEqual(['created', 'created', 'created', 'created'])
    ind = Indicator.parse((await h.call('GET', `/api/v1/campaigns/${s.campaignId}/indicator`, { token: s.evaluator.token })).body)
    const file = await download(h, `/api/v1/campaigns/${s.campaignId}/report.docx`, s.evaluator.token)
    expect(file.status, file.bytes.toString()).toBe(200)
    expect(file.type).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
    expect(file.disposition).toMatch(/^attachment; filename=".+\.docx"; filename\*=UTF-8''.+\.docx$/)
    bytes = file.bytes
    doc = await readDocx(bytes)
  })
  afterAll(async () => {
    await h?.close()
  })

  it('should print the indicator table with the figures of GET …/indicator', () => {
    const rows = new Map(tableStarting(doc, /^表1\s/).map(([k, v]) => [k, v]))
    expect(rows.get('有效问卷（计入渠道）')).toBe(String(ind.n.valid))
    expect(rows.get('满意度')).toBe(small(ind.rate, ind.smallSample))
    expect(rows.get('95%置信区间（Wilson）')).toBe(formatInterval(ind.ci95))
    expect(rows.get('考虑社区整群效应的95%置信区间')).toBe(formatInterval(ind.ci95Design))
    expect(rows.get('按社区人口加权的满意度（标准误）')).toContain(formatRate(ind.postStratified.rate))
    expect(rows.get('所需有效问卷 / 样本是否充足')).toBe(`${ind.sampleSize.required}份 / ${ind.sampleSize.adequate ? '充足' : '不足'}`)
    expect(rows.get('目标值')).toBe(formatRate(ind.score.target))
    expect(rows.get('分值')).toBe(formatScore(ind.score.weight))
    expect(rows.get('得分')).toBe(formatScore(ind.score.value))
    expect(ind.score.value).not.toBeNull()
  })

  it('should print every community, item and channel with its n, rate, interval and small-sample mark', () => {
    const communities = tableStarting(doc, /^表\d+\s+各社区满意度$/)
    expect(communities.length - 1).toBe(ind.byCommunity.length)
    for (const [i, c] of ind.byCommunity.entries()) {
      const row = communities[i + 1] ?? []
      expect(row.slice(0, 6)).toEqual([
        `社区${i}`,
        expect.any(String),
        String(c.received),
        String(c.valid),
        small(c.rate, c.smallSample),
        formatInterval(c.ci95),
      ])
    }
    expect(ind.byCommunity.filter((c) => c.smallSample).length).toBe(2)
    expect(communities.flat().filter((v) => v.endsWith('%*')).length).toBe(2)
    const items = tableStarting(doc, /^表\d+\s+各测评项目满意度$/)
    expect(items.length - 1).toBe(ind.byItem.length)
    for (const [i, it] of ind.byItem.entries())
      expect(items[i + 1]?.slice(1, 5)).toEqual([String(it.n), String(it.na), small(it.rate, it.smallSample), formatInterval(it.ci95)])
    const channels = tableStarting(doc, /^表\d+\s+各渠道满意度$/)
    for (const c of ind.byChannel) {
      const row = channels.find((r) => r[2] === String(c.received) && r[4] === small(c.rate, c.smallSample))
      expect(row, c.channel).toBeDefined()
    }
    expect(doc.paragraphs).toContain('注：标“*”的比例所依据的有效问卷不足30份，仅供参考。')
  })

  it('should print the door-to-door fieldwork per community and in total, and the response rate beside each community', () => {
    expect(ind.fieldwork.households).toBe(4)
    const rows = tableStarting(doc, /^表\d+\s+各社区入户走访情况$/)
    const f = (x: Indicator['fieldwork']) =>
      [x.households, x.completed, x.notHome, x.refused, x.revisit]
        .map(String)
        .concat([formatRate(x.responseRate), formatRate(x.contactRate)])
    expect(rows[0]).toEqual(['社区', '走访户数', '完成', '不在家', '拒访', '需回访', '入户应答率', '接触率'])
    expect(rows[1]).toEqual(['社区0', ...f(ind.byCommunity[0]?.fieldwork ?? ind.fieldwork)])
    expect(rows[2]).toEqual(['合计', ...f(ind.fieldwork)])
    const communities = tableStarting(doc, /^表\d+\s+各社区满意度$/)
    expect(communities[0]?.at(-1)).toBe('入户应答率')
    expect(communities[1]?.at(-1)).toBe(formatRate(ind.byCommunity[0]?.fieldwork.responseRate ?? null))
    expect(doc.paragraphs.join('\n')).toContain(`入户走访共登记4户，应答率${formatRate(ind.fieldwork.responseRate)}`)
  })

  it('should report the symposium apart and the follow-up ledger (ledgerSummary) as raised / followed up / done / open / overdue by kind', () => {
    const ledger = tableStarting(doc, /^表\d+\s+座谈会意见建议及整改情况汇总$/)
    expect(ledger.slice(1)).toEqual([
      ['问题', '2', '2', '1', '1', '0'],
      ['建议', '1', '1', '0', '1', '0'],
      ['表扬', '1', '0', '0', '0', '0'],
      ['合计', '4', '3', '1', '2', '0'],
    ])
    const symposiums = tableStarting(doc, /^表\d+\s+座谈会一览$/)
    expect(symposiums[1]).toEqual(['社区服务群众座谈会', '2026-03-01', '社区党群服务中心', '20', '1', '4'])
    expect(doc.paragraphs.join('\n')).toContain('召开座谈会1场，参会20人（党员代表5人、居民代表12人、驻区单位代表1人、社区干部2人）')
  })

  it('should be A4 in the house style: 黑体 headings, 仿宋 body, numbered headings, tables titled above with a source below', () => {
    expect(/<w:pgSz w:w="11906" w:h="16838"/.exec(doc.xml)?.[0], 'A4 portrait').toBeDefined()
    const defaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(doc.styles)?.[0] ?? ''
    expect(/w:eastAsia="([^"]+)"/.exec(defaults)?.[1], 'body font').toBe('仿宋')
    for (const id of ['Title', 'Heading1', 'Heading2', 'TableCaption']) {
      const style = new RegExp(`<w:style [^>]*w:styleId="${id}"[\\s\\S]*?</w:style>`).exec(doc.styles)?.[0] ?? ''
      expect(/w:eastAsia="([^"]+)"/.exec(style)?.[1], `${id} font`).toBe('黑体')
    }
    const headings = doc.paragraphs.filter((p) => /^[一二三四五]、|^（[一二三四五]）/.test(p))
    expect(headings.slice(0, 4)).toEqual(['一、评价方法与数据采集', '二、满意度测算结果', '（一）总体指标', '（二）分社区情况'])
    expect(doc.paragraphs).toContain('四、存在问题及改进建议')
    // Every table: its caption above, its source line right below.
    const after = doc.xml.split('</w:tbl>').slice(1)
    expect(after.length).toBe(doc.tables.size)
    for (const rest of after) expect(textOf(rest.split('</w:p>')[0] ?? '')).toMatch(/^数据来源：/)
    expect([...doc.tables.keys()].every((c) => /^表\d+\s\s/.test(c))).toBe(true)
  })

  it('should carry the charts as SVG with a PNG fallback', () => {
    const png = [...doc.media].filter(([n]) => n.endsWith('.png'))
    const svg = [...doc.media].filter(([n]) => n.endsWith('.svg'))
    expect(png.length).toBe(3)
    expect(svg.length).toBe(3)
    for (const [, b] of png) expect(b.subarray(1, 4).toString()).toBe('PNG')
    for (const [, b] of svg) expect(b.toString()).toMatch(/^<svg[\s\S]*<\/svg>$/)
    expect(doc.paragraphs.filter((p) => /^图\d\s\s/.test(p))).toEqual([
      '图1  各社区满意度与目标值',
      '图2  各测评项目满意度',
      '图3  各测评项目回答分布',
    ])
  })

  it('should draft the problems from the data, marked as a draft, counting without quoting', () => {
    const text = doc.paragraphs.join('\n')
    expect(text).toContain('【草稿】')
    expect(text).toMatch(/满意度最低的测评项目依次为/)
    expect(text).toContain(`收回的${ind.n.received}份问卷选择较多的依次为`)
    expect(text).toContain('座谈会上群众提出问题2条、建议1条，截至统计时尚有2条未办结。')
    expect(text).not.toContain('楼道灯不亮')
  })

  it('should end with the method, the questionnaire and the signed evidence head a later verify still finds', async () => {
    const text = doc.paragraphs.join('\n')
    const e = ind.evidence
    expect(e?.signature).toBeTruthy()
    expect(text).toContain(`链头：第${e?.seq}条，哈希 ${e?.hash}`)
    expect(text).toContain(`链头签名（Ed25519，base64）：${e?.signature}；服务器公钥标识：${e?.keyId}`)
    expect(text).toContain('-----BEGIN PUBLIC KEY-----')
    const verify = `/api/v1/campaigns/${s.campaignId}/log/verify?seq=${e?.seq}&hash=${e?.hash}`
    expect(text).toContain(`GET ${verify}`)
    const verdict = (await h.call('GET', verify, { token: s.evaluator.token })).body
    expect([verdict.ok, verdict.signature, verdict.published?.matches]).toEqual([true, 'valid', true])
    expect(text).toContain('Wilson')
    expect(text).toContain('总体满意度')
  })

  it('should write it in English when asked, with the same figures', async () => {
    const file = await download(h, `/api/v1/campaigns/${s.campaignId}/report.docx?lang=en`, s.evaluator.token)
    expect(file.status).toBe(200)
    const en = await readDocx(file.bytes)
    expect(en.paragraphs[0]).toBe('Satisfaction of the residents served')
    const rows = new Map(tableStarting(en, /^Table 1\s/).map(([k, v]) => [k, v]))
    expect(rows.get('Satisfaction rate')).toBe(small(ind.rate, ind.smallSample))
    expect(rows.get('Score')).toBe(formatScore(ind.score.value))
  })

  it('should let a read-only token download it and refuse an unknown language', async () => {
    const token = (await h.call('POST', '/api/v1/tokens', { token: s.admin.token, body: { name: 'report' } })).body.token
    expect((await download(h, `/api/v1/campaigns/${s.campaignId}/report.docx`, token)).status).toBe(200)
    const bad = await h.call('GET', `/api/v1/campaigns/${s.campaignId}/report.docx?lang=fr`, { token: s.evaluator.token })
    expect(bad.status).toBe(400)
    expect(bad.body.code).toBe('validation_failed')
  })

  it('should say so, not crash, for a campaign with no answers', async () => {
    const empty = await setupCampaign(h, { communities: 2 })
    const file = await download(h, `/api/v1/campaigns/${empty.campaignId}/report.docx`, empty.evaluator.token)
    expect(file.status).toBe(200)
    const e = await readDocx(file.bytes)
    expect(e.paragraphs).toContain('截至本报告生成时，该项目尚未收到有效问卷，满意度暂无法计算，以下各表均无数据。')
    expect(new Map(tableStarting(e, /^表1\s/).map(([k, v]) => [k, v])).get('满意度')).toBe('—')
  })

  it.skipIf(!SOFFICE || dialect !== 'sqlite')('should convert to PDF with LibreOffice showing the figures, page 1 rendering', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minyi-report-'))
    writeFileSync(join(dir, 'report.docx'), bytes)
    execFileSync(
      SOFFICE ?? 'soffice',
      ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'pdf', '--outdir', dir, join(dir, 'report.docx')],
      {
        timeout: 120_000,
        stdio: 'ignore',
      },
    )
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'report.pdf'), '-'], { encoding: 'utf8' })
    expect(text).toContain('服务群众满意度')
    expect(text).toContain(formatRate(ind.rate))
    expect(text).toContain(formatScore(ind.score.value))
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', join(dir, 'report.pdf'), join(dir, 'page')])
    const page = readdirSync(dir).find((f) => /^page-0*1\.png$/.test(f))
    expect(page).toBeDefined()
    expect(readFileSync(join(dir, page ?? '')).length).toBeGreaterThan(5000)
  })
  if (!SOFFICE && REQUIRE_LIBREOFFICE)
    it('LibreOffice is required (REQUIRE_LIBREOFFICE=1) but not installed', () => expect(SOFFICE).toBeDefined())
})

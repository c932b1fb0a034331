import { LOW_RESPONSE_RATE } from '@minyi/shared/method'
import type { Fieldwork } from '@minyi/shared/schemas'
import { campaignWorkers } from '../workers.ts'
import { text } from './cells.ts'
import { percent, type SheetWriter } from './sheets.ts'

// The door-to-door sheets (METHOD.md §10, §11), written after 分项.

/** 入户走访: each community's households by final outcome, response and contact rates, then the total. */
export const fieldworkSheet: SheetWriter = async (add, { d }) => {
  const ws = add(
    '入户走访',
    ['社区', '走访户数', '完成', '不在家', '拒访', '需回访', '应答率', '接触率', '应答率低于50%'],
    [20, 10, 8, 8, 8, 8, 10, 10, 14],
  )
  const line = (name: string, f: Fieldwork) => {
    const row = ws.addRow([
      text(name),
      f.households,
      f.completed,
      f.notHome,
      f.refused,
      f.revisit,
      f.responseRate,
      f.contactRate,
      f.responseRate !== null && f.responseRate < LOW_RESPONSE_RATE ? '是' : '',
    ])
    percent(row, [7, 8])
    row.commit()
  }
  for (const c of d.indicator.byCommunity) line(d.communityName.get(c.communityId) ?? c.communityId, c.fieldwork)
  line('合计', d.indicator.fieldwork)
  ws.commit()
}

/** 调查员核查: each worker's check, by name (typed by an admin, so neutralised like any typed text). */
export const interviewersSheet: SheetWriter = async (add, { deps, campaignId, d }) => {
  const names = new Map((await campaignWorkers(deps, campaignId)).map((w) => [w.id, `${w.name}（${w.login}）`]))
  const finding = (flag: boolean | null) => (flag === null ? '未计算' : flag ? '是' : '否')
  const ws = add(
    '调查员核查',
    ['调查员', '账号编号', '本人有效问卷', '对照问卷', '满意度差异 z', '满意度异常', '离散度比 u', '评分过于一致', '速度比'],
    [20, 38, 12, 10, 12, 10, 12, 12, 10],
  )
  for (const w of d.indicator.interviewers)
    ws.addRow([
      text(names.get(w.workerId) ?? ''),
      w.workerId,
      w.nW,
      w.nO,
      w.z,
      finding(w.rateOutlier),
      w.u,
      finding(w.uniform),
      w.speedRatio,
    ]).commit()
  ws.commit()
}

import type { AuditAction } from './schemas/audit.ts'
import type { Exclusion, Flag } from './schemas/campaign.ts'
import type { Channel } from './schemas/common.ts'
import type { AttendeeCategory, FollowUpStatus, RemarkKind } from './schemas/symposium.ts'
import type { VisitOutcome } from './schemas/visit.ts'

/**
 * The words for the product's stored names, in zh-CN and en: the console shows them, the exports and
 * the report paragraph write the zh ones, the worker app shows visit outcomes. One table each, so a
 * channel or a flag is called the same on every screen and in every file.
 */
export interface Label {
  zh: string
  en: string
}
export type LabelLocale = keyof Label

export const CHANNEL_LABELS: Readonly<Record<Channel, Label>> = {
  qr: { zh: '扫码自填', en: 'QR (self)' },
  door: { zh: '入户访问', en: 'door to door' },
  paper: { zh: '纸质问卷', en: 'paper' },
  symposium: { zh: '座谈会', en: 'symposium' },
}

/** METHOD.md §3 soft flags. */
export const FLAG_LABELS: Readonly<Record<Flag, Label>> = {
  speeding: { zh: '答题过快', en: 'speeding' },
  straightlining: { zh: '答案雷同', en: 'straight-lining' },
  duplicate_device: { zh: '同一设备多份', en: 'same device' },
  duplicate_household: { zh: '同户多份', en: 'same household' },
  network_burst: { zh: '同一网络短时多份', en: 'burst from one network' },
  late: { zh: '逾期提交', en: 'late' },
  clock_skew: { zh: '设备时间异常', en: 'clock skew' },
  conflict: { zh: '内容冲突', en: 'conflict' },
}

/** METHOD.md §3 hard exclusion reasons. */
export const EXCLUSION_LABELS: Readonly<Record<Exclusion, Label>> = {
  test: { zh: '测试答卷', en: 'test answers' },
  evaluator_excluded: { zh: '评价人员剔除', en: 'excluded by evaluator' },
  missing_basis: { zh: '缺少计分题回答', en: 'no answer on the basis' },
}

/** PRODUCT.md symposium attendee categories. */
export const ATTENDEE_LABELS: Readonly<Record<AttendeeCategory, Label>> = {
  party_member: { zh: '党员代表', en: 'Party members' },
  resident: { zh: '居民代表', en: 'Residents' },
  unit: { zh: '驻区单位代表', en: 'Local organisations' },
  cadre: { zh: '社区干部', en: 'Community cadres' },
  other: { zh: '其他', en: 'Other' },
}

/** PRODUCT.md kinds of a symposium remark. */
export const REMARK_KIND_LABELS: Readonly<Record<RemarkKind, Label>> = {
  problem: { zh: '问题', en: 'problem' },
  suggestion: { zh: '建议', en: 'suggestion' },
  praise: { zh: '表扬', en: 'praise' },
}

/** PRODUCT.md statuses of a remark's follow-up (整改). */
export const FOLLOW_UP_LABELS: Readonly<Record<FollowUpStatus, Label>> = {
  todo: { zh: '待办', en: 'to do' },
  in_progress: { zh: '整改中', en: 'in progress' },
  done: { zh: '已办结', en: 'done' },
}

/** PRODUCT.md / METHOD.md §11 outcomes of a door-to-door visit. */
export const VISIT_OUTCOME_LABELS: Readonly<Record<VisitOutcome, Label>> = {
  completed: { zh: '完成', en: 'completed' },
  not_home: { zh: '不在家', en: 'not at home' },
  refused: { zh: '拒访', en: 'refused' },
  revisit: { zh: '需回访', en: 'revisit' },
}

/** The audit log's actions (shared/src/schemas/audit.ts): the console's filter and table, the audit CSV. */
export const AUDIT_ACTION_LABELS: Readonly<Record<AuditAction, Label>> = {
  'auth.login': { zh: '登录', en: 'signed in' },
  'auth.enrol': { zh: '扫码登录', en: 'enrolled by QR code' },
  'auth.logout': { zh: '退出登录', en: 'signed out' },
  'session.revoke': { zh: '注销会话', en: 'revoked a session' },
  'staff.create': { zh: '新建账号', en: 'created an account' },
  'staff.update': { zh: '修改账号', en: 'changed an account' },
  'staff.password': { zh: '重设密码', en: 'reset a password' },
  'staff.sessions_revoke': { zh: '注销全部会话', en: 'signed a user out everywhere' },
  'staff.enrolment': { zh: '生成登录码', en: 'made an enrolment code' },
  'token.create': { zh: '新建接口令牌', en: 'created an API token' },
  'token.revoke': { zh: '吊销接口令牌', en: 'revoked an API token' },
  'org_unit.create': { zh: '新建组织单位', en: 'created an org unit' },
  'org_unit.update': { zh: '修改组织单位', en: 'changed an org unit' },
  'campaign.create': { zh: '新建调查活动', en: 'created a campaign' },
  'campaign.update': { zh: '修改活动设置', en: 'changed campaign settings' },
  'campaign.retention': { zh: '修改保存期限', en: 'changed the retention period' },
  'questionnaire.save': { zh: '保存问卷草稿', en: 'saved the questionnaire draft' },
  'questionnaire.publish': { zh: '发布问卷', en: 'published the questionnaire' },
  'link.create': { zh: '生成二维码链接', en: 'made a QR link' },
  'household_codes.create': { zh: '生成入户码', en: 'made household codes' },
  'response.review': { zh: '审核答卷', en: 'reviewed a response' },
  'symposium.update': { zh: '修改座谈会记录', en: 'changed a symposium record' },
  'remark.public': { zh: '设置意见公开', en: 'made a remark public or private' },
  'followup.update': { zh: '修改整改跟踪', en: 'changed a follow-up' },
  'sync.import': { zh: '导入答卷文件', en: 'imported an answers file' },
  'export.download': { zh: '导出数据', en: 'downloaded an export' },
  'report.download': { zh: '下载报告', en: 'downloaded the report' },
  'audit.export': { zh: '导出操作日志', en: 'exported the audit log' },
  'retention.delete': { zh: '到期删除原始数据', en: 'deleted raw data (retention)' },
}

/** What the retention deletion touches (the dry run's rows; docs/PRIVACY.md says what each holds). */
export const RETENTION_TABLE_LABELS: Readonly<Record<string, Label>> = {
  responses: { zh: '答卷（含意见、定位）', en: 'responses (with comments, positions)' },
  response_reviews: { zh: '复核记录', en: 'review decisions' },
  conflicts: { zh: '冲突提交', en: 'conflicting payloads' },
  household_codes: { zh: '入户码', en: 'household codes' },
  household_counts: { zh: '住户计数', en: 'answers per household' },
  device_campaigns: { zh: '设备计数', en: 'answers per device' },
  devices: { zh: '设备', en: 'devices' },
  visits: { zh: '走访登记', en: 'visit register' },
  households: { zh: '住户走访结果', en: 'households’ final visits' },
  community_activity: { zh: '社区最近提交时间', en: 'last answer per community' },
  network_windows: { zh: '网络地址哈希（提交频次）', en: 'hashed network addresses (answer bursts)' },
  symposium_names: { zh: '座谈会主持人、记录人姓名', en: 'symposium host and recorder names' },
  remark_devices: { zh: '意见的记录设备与账号', en: 'remarks’ recording device and account' },
  follow_up_devices: { zh: '整改跟踪的记录设备与账号', en: 'follow-ups’ recording device and account' },
}

/** A stored name in words; a name the table does not know (another release's) is shown as itself. */
export function labelOf(table: Readonly<Record<string, Label>>, name: string, locale: LabelLocale): string {
  return Object.hasOwn(table, name) ? (table[name]?.[locale] ?? name) : name
}

/** A flag or an exclusion reason (METHOD.md names, both appear in the indicator's counts) in words. */
export function reasonLabel(name: string, locale: LabelLocale): string {
  return labelOf(Object.hasOwn(FLAG_LABELS, name) ? FLAG_LABELS : EXCLUSION_LABELS, name, locale)
}

/**
 * The one catalogue of error codes. The server answers every 4xx/5xx as
 * `{ code, message }` with a code from here (and sync items `rejected` with one);
 * the client maps codes to zh-CN / en messages through `PROBLEMS[code]`.
 * Codes are stable: add new ones, never rename.
 */
export const PROBLEMS = {
  // envelope / HTTP level
  bad_request: { status: 400, zh: '请求格式不正确', en: 'The request is malformed' },
  invalid_json: { status: 400, zh: '请求内容不是有效的 JSON', en: 'The body is not valid JSON' },
  validation_failed: { status: 400, zh: '提交的内容不符合要求', en: 'The input did not pass validation' },
  payload_too_large: { status: 413, zh: '一次提交的内容过多', en: 'Too many items or bytes in one request' },
  rate_limited: { status: 429, zh: '提交过于频繁，请稍后再试', en: 'Too many requests; retry later' },
  unauthenticated: { status: 401, zh: '请先登录', en: 'Sign in first' },
  invalid_credentials: { status: 401, zh: '账号或密码不正确', en: 'Wrong login or password' },
  session_expired: { status: 401, zh: '登录已过期，请重新登录', en: 'The session expired; sign in again' },
  enrolment_invalid: {
    status: 401,
    zh: '登录码无效、已使用或已过期，请向管理员重新获取',
    en: 'The enrolment code is invalid, used or expired; ask an admin for a new one',
  },
  forbidden: { status: 403, zh: '没有权限执行此操作', en: 'Not allowed' },
  bad_origin: { status: 403, zh: '请求来源不被允许', en: 'Cross-origin write refused' },
  not_found: { status: 404, zh: '找不到该内容', en: 'Not found' },
  conflict: { status: 409, zh: '与已有内容冲突', en: 'Conflicts with existing data' },
  invalid_text: {
    status: 400,
    zh: '内容含有不允许的控制字符',
    en: 'The text contains a control character (NUL and other C0 characters are not allowed)',
  },
  unsupported_media_type: { status: 415, zh: '请以 JSON 格式提交', en: 'Send JSON' },
  import_too_large: {
    status: 413,
    zh: '导入文件过大：每个文件最多 10000 份答卷、20 MB，请分成几个文件导入',
    en: 'The import file is too large: at most 10,000 items and 20 MB per file; import it in parts',
  },
  internal: {
    status: 500,
    zh: '服务器出错，答卷已保存在本机，稍后会重试',
    en: 'Server error; answers stay on the device and will be retried',
  },
  unavailable: { status: 503, zh: '服务器暂时不可用', en: 'Service temporarily unavailable' },

  // per sync item (status `rejected`)
  invalid_item: { status: 400, zh: '答卷格式不正确', en: 'The item has an invalid shape' },
  unknown_kind: { status: 400, zh: '不支持的提交类型', en: 'Unknown item kind' },
  invalid_id: { status: 400, zh: '答卷编号不正确', en: 'The item id is not a UUIDv7' },
  unknown_campaign: { status: 400, zh: '调查活动不存在', en: 'Unknown campaign' },
  campaign_not_open: { status: 400, zh: '调查活动尚未开始', en: 'The campaign is not open yet' },
  unknown_community: { status: 400, zh: '社区不在本次调查范围内', en: 'Community not in this campaign' },
  unknown_version: { status: 400, zh: '问卷版本不存在', en: 'Unknown questionnaire version' },
  unknown_question: { status: 400, zh: '答卷包含未知题目', en: 'Answer to an unknown question' },
  invalid_answer: { status: 400, zh: '答案不在可选范围内', en: 'Answer outside the question’s options' },
  missing_required: { status: 400, zh: '有必答题未作答', en: 'A required question is unanswered' },
  channel_forbidden: { status: 403, zh: '该渠道需要调查员登录', en: 'This channel needs a worker’s credentials' },
  community_not_assigned: { status: 403, zh: '该社区未分配给此调查员', en: 'Community not assigned to this worker' },
  unknown_symposium: { status: 400, zh: '座谈会不存在', en: 'Unknown symposium' },
  household_code_used: { status: 409, zh: '该入户码已使用', en: 'Household code already used' },
  invalid_household_code: { status: 400, zh: '入户码无效', en: 'Invalid household code' },
  household_code_wrong_community: {
    status: 400,
    zh: '该入户码不是为本社区打印的',
    en: 'The household code was printed for another community',
  },
  invalid_time: { status: 400, zh: '答题时间不正确', en: 'Invalid start/submit times' },
  invalid_household_key: {
    status: 400,
    zh: '住户标识不正确（门牌号须在手机上加密后发送）',
    en: 'The household key is not the device-made hash of the door number',
  },
  campaign_data_deleted: {
    status: 410,
    zh: '该调查活动已结束，原始数据已按保存期限删除，不再接收提交',
    en: 'The campaign is over and its raw data was deleted at the end of its retention period; nothing more is accepted',
  },
  invalid_outcome: {
    status: 400,
    zh: '走访结果不正确',
    en: 'Unknown visit outcome, or a response named by a visit that was not completed',
  },
  // symposiums, remarks and follow-ups (issue 10 point 6, issue 11)
  invalid_date: { status: 400, zh: '日期不正确', en: 'Not a calendar date (YYYY-MM-DD)' },
  unknown_street: { status: 400, zh: '街道不在本次调查范围内', en: 'No community of this street is in the campaign' },
  symposium_mismatch: {
    status: 400,
    zh: '测评表与座谈会不符（社区或渠道不一致）',
    en: 'The rating sheet does not match its symposium (community or channel)',
  },
  unknown_remark: { status: 400, zh: '座谈会意见不存在', en: 'Unknown remark' },

  // campaign setup: the indicator config must fit the questionnaire (shared/src/method/config-fit.ts)
  satisfied_set_invalid: { status: 400, zh: '满意选项与题目量表不匹配', en: 'The satisfied set does not fit the questions’ scales' },
  basis_item_missing: { status: 400, zh: '问卷缺少计算依据的评分题（总体满意度）', en: 'The questionnaire lacks the basis rating item' },
  weights_mismatch: { status: 400, zh: '加权指数的权重个数与量表不符', en: 'Weighted-index weights do not match the scale' },
  questionnaire_not_published: { status: 409, zh: '问卷尚未发布', en: 'The questionnaire has not been published yet' },

  // questionnaire drafts: what a show-if may name (shared/src/schemas/show-if-rule.ts); details say which question and why
  show_if_invalid: {
    status: 400,
    zh: '显示条件有误：只能依据前面某道单选或多选题的选项，且不能循环',
    en: 'Invalid show-if: it may only depend on the options of an earlier single or multiple choice question, without cycles',
  },

  // client-side (never from the server)
  network: { status: 0, zh: '网络不可用，答卷已保存在本机', en: 'No network; answers are saved on this device' },
  quota_exceeded: { status: 0, zh: '手机存储空间不足，请导出未发送的答卷', en: 'Storage is full; export unsent answers' },
  no_storage: { status: 0, zh: '此浏览器无法离线保存，答卷将立即发送', en: 'This browser cannot store answers offline; sending now' },
  save_failed: {
    status: 0,
    zh: '答卷未能保存在本机，请再点一次提交，或导出答卷',
    en: 'The answers could not be saved on this device; tap submit again or export them',
  },
} as const satisfies Record<string, { status: number; zh: string; en: string }>

export type ProblemCode = keyof typeof PROBLEMS

export interface Problem {
  code: ProblemCode
  message: string
  /** Field-level details for validation failures (zod issue paths). */
  details?: { path: string; message: string }[]
}

export function isProblemCode(code: unknown): code is ProblemCode {
  return typeof code === 'string' && Object.hasOwn(PROBLEMS, code)
}

export function problemMessage(code: string, locale: 'zh' | 'en' = 'zh'): string {
  return isProblemCode(code) ? PROBLEMS[code][locale] : PROBLEMS.internal[locale]
}

import { presetScale } from './method/scales.ts'
import { DEFAULT_RETENTION_MONTHS } from './schemas/campaign.ts'
import type { I18nText } from './schemas/common.ts'
import {
  type QuestionnaireContent,
  type QuestionnaireContentInput,
  QuestionnaireContent as QuestionnaireContentSchema,
} from './schemas/questionnaire.ts'

/**
 * The questionnaire template of PRODUCT.md, built from the evaluation's own wording
 * (城市社区党组织服务群众专项经费). zh-CN is the source; en labels for the English UI.
 * New campaigns start from this (or from a copy of another campaign).
 */
const LIKERT5 = presetScale('likert5')

const RATED: [id: string, zh: string, en: string][] = [
  ['q_training', '党员教育培训', 'Party-member education and training'],
  ['q_visits', '走访慰问困难群众', 'Visits to families in hardship'],
  ['q_culture', '文体活动', 'Cultural and sports activities'],
  ['q_employment', '就业服务', 'Employment services'],
  ['q_education', '教育', 'Education'],
  ['q_medical', '医疗', 'Medical services'],
  ['q_elderly', '养老服务', 'Elderly care'],
  ['q_openness', '经费使用公开透明', 'Openness of how the fund is used'],
  ['q_urgent', '群众急难愁盼问题解决', 'Responsiveness to residents’ urgent needs'],
]

const t = (zh: string, en: string): I18nText => ({ zh, en })

const templateInput: QuestionnaireContentInput = {
  title: t('社区党组织服务群众满意度调查', 'Survey of satisfaction with community party organisations’ services'),
  intro: t(
    '为了解社区党组织服务群众专项经费的使用效果，请您根据实际感受作答。问卷匿名，约需 2 分钟。',
    'Tell us how the community party organisation’s service fund has served you. Anonymous, about 2 minutes.',
  ),
  questions: [
    ...RATED.map(([id, zh, en]) => ({
      id,
      type: 'rating' as const,
      title: t(`您对社区“${zh}”的满意程度？`, `How satisfied are you with: ${en}?`),
      scale: LIKERT5,
      allowNa: true,
      required: true,
    })),
    {
      id: 'q_overall',
      type: 'rating',
      title: t(
        '总体而言，您对社区党组织服务群众工作的满意程度？',
        'Overall, how satisfied are you with the community party organisation’s service?',
      ),
      scale: LIKERT5,
      allowNa: true,
      required: true,
      overall: true,
    },
    {
      id: 'q_improve',
      type: 'multiple',
      title: t('您认为哪些方面最需要改进？（可多选）', 'Which areas most need improvement? (choose any)'),
      options: [...RATED.map(([id, zh, en]) => ({ value: id.slice(2), label: t(zh, en) })), { value: 'other', label: t('其他', 'Other') }],
      maxChoices: 3,
    },
    {
      id: 'q_suggestions',
      type: 'longtext',
      title: t('您对社区服务还有哪些意见和建议？', 'Any other comments or suggestions?'),
      maxLength: 1000,
    },
    {
      id: 'q_age',
      type: 'single',
      profile: true,
      title: t('您的年龄段', 'Your age band'),
      options: [
        { value: 'u30', label: t('30岁以下', 'Under 30') },
        { value: '30_44', label: t('30–44岁', '30–44') },
        { value: '45_59', label: t('45–59岁', '45–59') },
        { value: '60_74', label: t('60–74岁', '60–74') },
        { value: '75p', label: t('75岁及以上', '75 or older') },
      ],
    },
    {
      id: 'q_identity',
      type: 'single',
      profile: true,
      title: t('您的身份', 'You are'),
      options: [
        { value: 'party_member', label: t('党员', 'Party member') },
        { value: 'resident', label: t('居民', 'Resident') },
        { value: 'unit', label: t('驻区单位', 'From a local organisation') },
        { value: 'other', label: t('其他', 'Other') },
      ],
    },
    {
      id: 'q_years',
      type: 'single',
      profile: true,
      title: t('您在本社区居住了多久？', 'How long have you lived in this community?'),
      options: [
        { value: 'u1', label: t('不到1年', 'Under 1 year') },
        { value: '1_5', label: t('1–5年', '1–5 years') },
        { value: '5_10', label: t('5–10年', '5–10 years') },
        { value: '10p', label: t('10年以上', 'Over 10 years') },
      ],
    },
  ],
}

export const TEMPLATE_QUESTIONNAIRE: QuestionnaireContent = QuestionnaireContentSchema.parse(templateInput)

const ZH_NUMBERS = ['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十']
const EN_NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten']

/** A retention period in words: whole years as years (三年 / three years), otherwise months (18个月 / 18 months). */
export function retentionWords(months: number): I18nText {
  if (months % 12 === 0) {
    const y = months / 12
    return { zh: `${ZH_NUMBERS[y] ?? y}年`, en: `${EN_NUMBERS[y] ?? y} year${y === 1 ? '' : 's'}` }
  }
  return { zh: `${months}个月`, en: `${months} month${months === 1 ? '' : 's'}` }
}

/**
 * Shown on one screen before the first question and on every QR poster (C1). The retention sentence
 * is made from the campaign's retention period (issue 15), so the notice never promises what is not
 * configured; the deletion job keeps it.
 */
export function privacyNotice(retentionMonths: number): I18nText {
  const w = retentionWords(retentionMonths)
  return t(
    `本问卷用于区财政局对社区党组织服务群众专项经费的绩效评价。问卷不记录姓名、电话、门牌号等个人信息；答卷仅用于统计，评价结束后保存${w.zh}后删除。`,
    `This survey serves the district’s performance evaluation of the community service fund. It records no name, phone number or door number; answers are used only for statistics and deleted ${w.en} after the evaluation.`,
  )
}

/** The notice of a campaign with the default retention (three years): the fallback of pages that have no campaign's own. */
export const PRIVACY_NOTICE: I18nText = privacyNotice(DEFAULT_RETENTION_MONTHS)

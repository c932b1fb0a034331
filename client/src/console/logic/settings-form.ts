import type { CampaignDetail, CampaignPatchInput, IndicatorConfig } from '@minyi/shared/schemas'
import { shanghaiDay, shanghaiDayEnd, shanghaiDayStart } from '@minyi/shared/time'

/**
 * Campaign settings as the form holds them (SettingsPanel.vue lays them out): whole days in
 * Asia/Shanghai for the window, the target in percent, a top-k preset or the campaign's own explicit
 * satisfied set (kept, not editable here), quotas that may be left empty.
 */
export const TOP_K = ['top1', 'top2', 'top3', 'top4', 'top5'] as const
export type TopK = (typeof TOP_K)[number]

export interface SettingsForm {
  title: string
  opens: string
  closes: string
  satisfiedSet: TopK | 'custom'
  basis: IndicatorConfig['basis']
  channels: IndicatorConfig['channels']
  excludeFlags: IndicatorConfig['excludeFlags']
  targetPercent: number
  weight: number
  scoreOn: IndicatorConfig['scoreOn']
  /** Per community id; null when no quota is set. */
  quotas: Record<string, number | null>
}

export function settingsForm(campaign: CampaignDetail): SettingsForm {
  const cfg = campaign.indicatorConfig
  return {
    title: campaign.title,
    opens: shanghaiDay(campaign.opensAt),
    closes: shanghaiDay(campaign.closesAt),
    satisfiedSet: typeof cfg.satisfiedSet === 'string' ? cfg.satisfiedSet : 'custom',
    basis: cfg.basis,
    channels: [...cfg.channels],
    excludeFlags: [...cfg.excludeFlags],
    // Rounded to 0.01 %: 0.9 * 100 is 90.00000000000001 in floating point.
    targetPercent: Math.round(cfg.target * 10000) / 100,
    weight: cfg.weight,
    scoreOn: cfg.scoreOn,
    quotas: Object.fromEntries(campaign.communities.map((c) => [c.id, campaign.quotas[c.id] ?? null])),
  }
}

/** The campaign's explicit satisfied set as text (`5、4`), or '' when it uses a top-k preset. */
export function customSatisfiedSet(config: IndicatorConfig): string {
  return Array.isArray(config.satisfiedSet) ? config.satisfiedSet.join('、') : ''
}

/** The `PATCH /campaigns/:id` body for the form: the rest of the indicator config is sent back unchanged. */
export function settingsPatch(campaign: CampaignDetail, form: SettingsForm): CampaignPatchInput {
  const cfg = campaign.indicatorConfig
  return {
    title: form.title.trim(),
    opensAt: shanghaiDayStart(form.opens),
    closesAt: shanghaiDayEnd(form.closes),
    indicatorConfig: {
      ...cfg,
      satisfiedSet: form.satisfiedSet === 'custom' ? cfg.satisfiedSet : form.satisfiedSet,
      basis: form.basis,
      channels: [...form.channels],
      excludeFlags: [...form.excludeFlags],
      target: form.targetPercent / 100,
      weight: form.weight,
      scoreOn: form.scoreOn,
    },
    quotas: Object.fromEntries(Object.entries(form.quotas).filter((e): e is [string, number] => typeof e[1] === 'number')),
  }
}

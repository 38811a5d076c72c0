/**
 * Display names of unique types, as the portal names them (Japanese) and in English.
 */
import { UNIQUE_TYPES, isUniqueType, type Locale, type LocalizedText, type UniqueType } from '../../domain/index.js';

export const UNIQUE_TYPE_LABELS: Readonly<Record<UniqueType, LocalizedText>> = {
  sip_terminal: { ja: 'SIP端末', en: 'SIP terminal' },
  smartphone: { ja: 'スマートフォン', en: 'Smartphone' },
  softphone: { ja: 'ソフトフォン', en: 'Softphone' },
  video_phone: { ja: 'ビデオ電話', en: 'Video phone' },
  sip_terminal_campaign: { ja: 'SIP端末(キャンペーン)', en: 'SIP terminal (campaign)' },
  sip_trunk: { ja: 'SIPトランク', en: 'SIP trunk' },
  sip_trunk2: { ja: 'SIPトランク2', en: 'SIP trunk 2' },
  sip_trunk2_ip_auth: { ja: 'SIPトランク2(IP認証)', en: 'SIP trunk 2 (IP auth)' },
  ymobile: { ja: 'Y!mobile', en: 'Y!mobile' },
  forwarding: { ja: '発着転送', en: 'Call forwarding' },
  reverse_forwarding: { ja: 'フロム発着', en: 'Reverse forwarding' },
  conference_room: { ja: '会議室', en: 'Conference room' },
  outbound_routing: { ja: '発信仕分', en: 'Outbound routing' },
  ivr: { ja: 'IVR', en: 'IVR' },
  other: { ja: 'その他', en: 'Other' },
};

/** The label of a type code; an unknown code is shown as is. */
export function typeLabel(type: string, locale: Locale): string {
  return isUniqueType(type) ? UNIQUE_TYPE_LABELS[type][locale] : type;
}

const squash = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[\s_()（）-]/g, '');

/** Resolves a type code or a label in either language (`sip_terminal`, `SIP端末`, `SIP terminal`). */
export function resolveUniqueType(input: string): UniqueType | null {
  const wanted = squash(input);
  if (wanted === '') return null;
  for (const type of UNIQUE_TYPES) {
    const label = UNIQUE_TYPE_LABELS[type];
    if (squash(type) === wanted || squash(label.ja) === wanted || squash(label.en) === wanted) return type;
  }
  return null;
}

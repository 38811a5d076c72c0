/**
 * User-Agent strings of well-known SIP scanners and brute-force tools.
 *
 * @remarks
 * SIPVicious (`friendly-scanner`, `sipvicious`), sipcli, VaxSIPUserAgent, sundayddr, iWar, sip-scan,
 * SIPScan, smap, sipsak-based probes (`sipsak` is also a legitimate tool, so it is not listed).
 * Matching is a case-insensitive substring test.
 */
const SCANNER_MARKERS: readonly string[] = [
  'friendly-scanner',
  'sipvicious',
  'sipcli',
  'vaxsipuseragent',
  'sundayddr',
  'iwar',
  'sip-scan',
  'sipscan',
  'smap',
  'pplsip',
  'sipptk',
  'vaxphone',
];

/** Whether a User-Agent belongs to a known scanner. */
export function isScannerUserAgent(userAgent: string | null | undefined): boolean {
  if (userAgent === null || userAgent === undefined || userAgent === '') return false;
  const ua = userAgent.toLowerCase();
  for (const marker of SCANNER_MARKERS) if (ua.includes(marker)) return true;
  return false;
}

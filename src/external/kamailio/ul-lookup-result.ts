/**
 * Maps the answer of Kamailio's `ul.lookup` RPC (usrloc module, 5.6) to domain bindings.
 *
 * @remarks
 * https://www.kamailio.org/docs/modules/5.6.x/modules/usrloc.html#usrloc.r.lookup — the answer is
 * `{AoR, Contacts: [{Contact: {...}}]}`; per contact (src/modules/usrloc/ul_rpc.c, checked against a
 * running 5.6.3): `Address`, `Expires` (seconds left, or "permanent" / "expired" / "deleted"), `Q`
 * (0..1000, -1 when unset), `Call-ID`, `CSeq`, `User-Agent`, `Received` (`sip:ip:port[;transport=x]`),
 * `Path`, `Socket` (`proto:ip:port`), `Instance`, `Reg-Id`, `Last-Modified` (Unix seconds); unset
 * strings are the literal `[not set]`.
 */
import { z } from 'zod';
import type { Binding } from '../../domain/index.js';
import { domainTransport, hostPortOfUri, transportParamOfUri } from '../sip-address.js';

const text = z.string().optional();

const UlContact = z
  .object({
    Address: z.string().min(1),
    Expires: z.union([z.number(), z.string()]),
    Q: z.number().optional(),
    'Call-ID': text,
    CSeq: z.number().optional(),
    'User-Agent': text,
    Received: text,
    Path: text,
    Socket: text,
    Instance: text,
    'Reg-Id': z.number().optional(),
    'Last-Modified': z.number().optional(),
  })
  .passthrough();

const UlLookupResult = z
  .object({
    AoR: z.string(),
    Contacts: z.union([z.array(z.union([z.object({ Contact: UlContact }).passthrough(), UlContact])), z.object({ Contact: UlContact }).passthrough()]),
  })
  .passthrough();

/** Far future for Kamailio's permanent contacts (`Expires: "permanent"`, added with expires 0 by ul.add). */
const PERMANENT_UNTIL = new Date('9999-12-31T23:59:59.000Z');

export type UlLookupMapping =
  | { readonly ok: true; readonly bindings: Binding[]; readonly lastRegisterAt: Date | null }
  | { readonly ok: false; readonly detail: string };

/** Maps a `ul.lookup` result; contacts already expired or deleted in usrloc are left out. */
export function mapUlLookupResult(result: unknown, unique: string, now: Date): UlLookupMapping {
  const parsed = UlLookupResult.safeParse(result);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, detail: `ul.lookup answer: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  const entries = Array.isArray(parsed.data.Contacts) ? parsed.data.Contacts : [parsed.data.Contacts];
  const bindings: Binding[] = [];
  let lastRegisterAt: Date | null = null;
  for (const entry of entries) {
    const c = 'Contact' in entry ? (entry.Contact as z.infer<typeof UlContact>) : (entry as z.infer<typeof UlContact>);
    const modifiedAt = c['Last-Modified'] !== undefined && c['Last-Modified'] > 0 ? new Date(c['Last-Modified'] * 1000) : null;
    if (modifiedAt && (!lastRegisterAt || modifiedAt > lastRegisterAt)) lastRegisterAt = modifiedAt;
    const binding = toBinding(c, unique, now, modifiedAt);
    if (binding) bindings.push(binding);
  }
  return { ok: true, bindings, lastRegisterAt };
}

function toBinding(c: z.infer<typeof UlContact>, unique: string, now: Date, modifiedAt: Date | null): Binding | null {
  let expiresAt: Date;
  if (typeof c.Expires === 'number') {
    if (c.Expires <= 0) return null;
    expiresAt = new Date(now.getTime() + c.Expires * 1000);
  } else if (c.Expires === 'permanent') {
    expiresAt = PERMANENT_UNTIL;
  } else {
    return null; // "expired" / "deleted": usrloc has not purged it yet, it is not a live binding.
  }
  const refreshedAt = modifiedAt ?? now;
  const received = set(c.Received);
  const socketProto = set(c.Socket)?.split(':')[0] ?? null;
  const transport = domainTransport(socketProto ?? (received ? transportParamOfUri(received) : null) ?? transportParamOfUri(c.Address));
  const source = (received ? hostPortOfUri(received) : null) ?? hostPortOfUri(c.Address) ?? c.Address;
  const regId = c['Reg-Id'] !== undefined && c['Reg-Id'] > 0 ? c['Reg-Id'] : null;
  return {
    unique,
    contact: c.Address,
    source,
    transport,
    userAgent: set(c['User-Agent']),
    callId: set(c['Call-ID']) ?? '',
    cseq: c.CSeq ?? 0,
    path: splitPath(set(c.Path)),
    instanceId: set(c.Instance),
    regId,
    q: c.Q !== undefined && c.Q >= 0 ? c.Q / 1000 : null,
    requestedExpires: null,
    grantedExpires: expiresAt === PERMANENT_UNTIL ? 0 : Math.max(0, Math.round((expiresAt.getTime() - refreshedAt.getTime()) / 1000)),
    // usrloc keeps no first-registration time: the last REGISTER that touched the contact is the best we know.
    registeredAt: refreshedAt,
    refreshedAt,
    expiresAt,
  };
}

/** Kamailio prints unset strings as `[not set]`. */
function set(v: string | undefined): string | null {
  if (v === undefined) return null;
  const t = v.trim();
  return t === '' || t === '[not set]' ? null : t;
}

/** A Path vector `<sip:a>,<sip:b>` into its URIs (commas inside `<>` kept). */
function splitPath(path: string | null): string[] {
  if (!path) return [];
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (ch === '<') depth++;
    else if (ch === '>') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      out.push(path.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(path.slice(start).trim());
  return out.filter((p) => p !== '');
}

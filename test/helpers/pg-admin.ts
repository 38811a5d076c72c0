/** Connection to the maintenance database of the server named by DATABASE_URL. */
export function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

export function templateName(): string {
  return `lw_tpl_${process.pid}`;
}

/**
 * WeCom's callback XML is flat: <xml><Name>text</Name>…</xml>, values bare or in CDATA. The only
 * nested element of contact events is ExtAttr, which Shulan does not use and which is dropped so
 * its <Name> items cannot shadow the member's name.
 */
export function parseFlatXml(xml: string): Record<string, string> {
  const body = xml.replace(/<ExtAttr>[\s\S]*?<\/ExtAttr>/g, '');
  const out: Record<string, string> = {};
  const re = /<([A-Za-z][A-Za-z0-9_]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g;
  for (const m of body.matchAll(re)) {
    const [, name, cdata, text] = m;
    if (name && !(name in out)) out[name] = cdata ?? decodeEntities(text ?? '');
  }
  return out;
}

function decodeEntities(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e] ?? '');
}

/**
 * Apps Script measures a property value in UTF-8 bytes, at most 9 KB each
 * (developers.google.com/apps-script/guides/services/quotas): "é" is two bytes, an emoji four.
 */
export const PROPERTY_VALUE_BYTES = 9 * 1024;

/** UTF-8 bytes of `text`; with `stopAfter`, counting stops once past it (a huge body is not read to its end). */
export function utf8Bytes(text: string, stopAfter = Infinity): number {
  let bytes = 0;
  for (const ch of text) {
    if (bytes > stopAfter) break;
    const code = ch.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** A size as people read it, in their language: "812 bytes", "9.3 KB" / "9,3 KB". */
export function formatBytes(bytes: number, locale: 'en' | 'id'): string {
  if (bytes < 1024) return `${bytes} ${locale === 'id' ? 'byte' : 'bytes'}`;
  const kb = (Math.ceil((bytes / 1024) * 10) / 10).toFixed(1);
  return `${locale === 'id' ? kb.replace('.', ',') : kb} KB`;
}

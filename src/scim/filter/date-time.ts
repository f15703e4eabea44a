// xsd:dateTime with date and time (RFC 7643 §2.3.5): four-digit year, optional fraction of a
// second, optional `Z` or ±hh:mm offset.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Parses an xsd:dateTime string to an instant in epoch milliseconds, or undefined when the
 * text is not one (wrong shape, or out-of-range fields such as `02-30` or `24:00:00`).
 *
 * Filters compare dateTimes as instants, so `2011-05-13T04:42:34Z`,
 * `2011-05-13T04:42:34.000Z` and `2011-05-13T06:42:34+02:00` are equal. Precision is the
 * millisecond: further fraction digits are truncated. A value without an offset is taken
 * as UTC, so results never depend on the server's time zone.
 */
export function parseDateTime(text: string): number | undefined {
  const match = DATE_TIME.exec(text);
  if (match === null) return undefined;
  const [y, mo, d, h, mi, s] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = match[7] ?? '';
  const zone = match[8] ?? 'Z';
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  // setUTCFullYear rather than Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const offsetHours = Number(zone.slice(1, 3));
    const offsetMins = Number(zone.slice(4, 6));
    if (offsetHours > 14 || offsetMins > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  return date.getTime() - offsetMinutes * 60_000;
}

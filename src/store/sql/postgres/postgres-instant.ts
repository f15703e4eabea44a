import { sql, type RawBuilder } from 'kysely';

/** DATE_TIME of src/scim/filter/date-time.ts, with [0-9] for \d (PostgreSQL's \d also takes non-ASCII digits). */
const DATE_TIME = '^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:[.]([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2})?$';

/**
 * An xsd:dateTime text as epoch milliseconds (bigint), computed exactly as parseDateTime does
 * it, or NULL for text that is not a valid date and time. PostgreSQL's own timestamp input
 * cannot be used: it raises errors on invalid text instead of returning NULL, knows no year 0
 * (JavaScript's proleptic calendar has one) and accepts forms parseDateTime refuses. So the
 * fields are matched with a regular expression, checked, and the day number computed with
 * the days-from-civil algorithm (H. Hinnant), all in integer arithmetic.
 */
export function instantSql(text: RawBuilder<unknown>): RawBuilder<unknown> {
  // Month lengths with the Gregorian leap rule.
  const lastDay = sql`(case when f.mo = 2 then (case when f.y % 4 = 0 and (f.y % 100 <> 0 or f.y % 400 = 0) then 29 else 28 end) when f.mo in (4, 6, 9, 11) then 30 else 31 end)`;
  // Days since 1970-01-01; years start in March so that the leap day ends a year.
  const yearFromMarch = sql`(f.y - (case when f.mo <= 2 then 1 else 0 end))`;
  const era = sql`((case when ${yearFromMarch} >= 0 then ${yearFromMarch} else ${yearFromMarch} - 399 end) / 400)`;
  const yearOfEra = sql`(${yearFromMarch} - ${era} * 400)`;
  const dayOfYear = sql`((153 * (f.mo + (case when f.mo > 2 then -3 else 9 end)) + 2) / 5 + f.d - 1)`;
  const dayOfEra = sql`(${yearOfEra} * 365 + ${yearOfEra} / 4 - ${yearOfEra} / 100 + ${dayOfYear})`;
  const days = sql`(${era}::bigint * 146097 + ${dayOfEra} - 719468)`;
  return sql`(select case
      when f.mo between 1 and 12 and f.d between 1 and ${lastDay} and f.h <= 23 and f.mi <= 59 and f.s <= 59 and f.oh <= 14 and f.om <= 59
      then ${days} * 86400000 + f.h * 3600000 + f.mi * 60000 + f.s * 1000 + f.ms - f.sign * (f.oh * 60 + f.om) * 60000
    end
    from (select m[1]::int as y, m[2]::int as mo, m[3]::int as d, m[4]::int as h, m[5]::int as mi, m[6]::int as s,
                 coalesce(rpad(left(m[7], 3), 3, '0'), '000')::int as ms,
                 (case when left(m[8], 1) = '-' then -1 else 1 end) as sign,
                 coalesce(substr(nullif(m[8], 'Z'), 2, 2)::int, 0) as oh,
                 coalesce(substr(nullif(m[8], 'Z'), 5, 2)::int, 0) as om
          from (select regexp_match(${text}, ${sql.lit(DATE_TIME)}) as m) as r
          where m is not null) as f)`;
}

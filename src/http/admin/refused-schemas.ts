import { Type } from 'typebox';

export const RefusedQuery = Type.Object(
  { since: Type.Optional(Type.String({ description: 'ISO-8601; minutes from this time on (default: a day ago; at most a week of minutes is returned).' })) },
  { additionalProperties: false },
);

export const RefusedMinute = Type.Object(
  {
    minute: Type.String({ format: 'date-time', description: 'The start of the minute.' }),
    count: Type.Integer({ description: 'Requests refused in that minute.' }),
    lastAt: Type.String({ format: 'date-time' }),
    lastStatus: Type.Integer({ description: 'The last one\'s status (401).' }),
    lastUserAgent: Type.Union([Type.String(), Type.Null()], { description: 'The last one\'s user agent, cut at 200 characters.' }),
  },
  { $id: 'RefusedMinute', description: 'Requests naming the tenant refused for want of valid credentials in one minute.' },
);

export const RefusedSummary = Type.Object(
  {
    total: Type.Integer({ description: 'Refused requests since `since`.' }),
    since: Type.String({ format: 'date-time' }),
    minutes: Type.Array(RefusedMinute, { description: 'Newest first; minutes without refused requests are left out.' }),
  },
  { $id: 'RefusedSummary', description: 'SCIM requests naming the tenant that were refused before authentication (a wrong, revoked or expired token), counted per minute; they are never logged one by one.' },
);

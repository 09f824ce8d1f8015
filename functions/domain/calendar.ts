import type { Policy } from '../../contract/policy.js';

/**
 * The calendar of an invoice on net terms, from the policy at placement: reminders before the due
 * date, the due date itself (the PO turns overdue), reminders after it, and an optional automatic
 * cancellation. Each event has a key so that it happens once.
 */
export type CalendarPolicy = Policy['reminders'];

export interface CalendarEvent {
  key: string;
  kind: 'reminder_before' | 'due' | 'reminder_after' | 'auto_cancel';
  days: number;
  at: string;
}

const DAY_MS = 86_400_000;

export function calendarEvents(dueDate: string, calendar: CalendarPolicy): CalendarEvent[] {
  // A due date is a whole day: payment on it is on time, so "due" falls at the end of that day.
  const endOfDue = Date.parse(`${dueDate}T23:59:59.999Z`);
  const startOfDue = Date.parse(`${dueDate}T00:00:00.000Z`);
  const events: (Omit<CalendarEvent, 'at'> & { at: number })[] = [
    ...calendar.beforeDueDays.map((days) => ({ key: `before-${days}`, kind: 'reminder_before' as const, days, at: startOfDue - days * DAY_MS })),
    { key: 'due', kind: 'due' as const, days: 0, at: endOfDue },
    ...calendar.afterDueDays.map((days) => ({ key: `after-${days}`, kind: 'reminder_after' as const, days, at: endOfDue + days * DAY_MS })),
    ...(calendar.autoCancelAfterDueDays === null
      ? []
      : [{ key: `cancel-${calendar.autoCancelAfterDueDays}`, kind: 'auto_cancel' as const, days: calendar.autoCancelAfterDueDays, at: endOfDue + calendar.autoCancelAfterDueDays * DAY_MS }]),
  ];
  return events
    .sort((a, b) => a.at - b.at)
    .map((event) => ({ ...event, at: new Date(event.at).toISOString() }));
}

/** What a calendar event's key says: which kind of event, how many days from the due date. */
export function parseEventKey(key: string): Pick<CalendarEvent, 'kind' | 'days'> {
  const [, prefix, days] = /^(before|after|cancel)-(\d+)$/.exec(key) ?? [];
  if (!prefix) return { kind: 'due', days: 0 };
  const kind = ({ before: 'reminder_before', after: 'reminder_after', cancel: 'auto_cancel' } as const)[prefix as 'before' | 'after' | 'cancel'];
  return { kind, days: Number(days) };
}

/** The events not handled yet, in order; `due` ones are those whose time has come. */
export function pendingEvents(dueDate: string, calendar: CalendarPolicy, done: readonly string[], now: Date): { due: CalendarEvent[]; next: CalendarEvent | null } {
  const open = calendarEvents(dueDate, calendar).filter((event) => !done.includes(event.key));
  const due = open.filter((event) => Date.parse(event.at) <= now.getTime());
  return { due, next: open.find((event) => Date.parse(event.at) > now.getTime()) ?? null };
}

/**
 * The calendar of a payment asked for before delivery (an offline order, a proforma): reminders some
 * days after the buyer was asked to pay, and a cancellation, from the policy when it was asked; and
 * a reminder to finance of a reported payment still waiting for verification.
 */
export interface UnpaidCalendar {
  reminderDays: number[];
  cancelAfterDays: number | null;
  /** Finance is reminded of a reported payment not verified after this many days (2 when absent: POs placed before it existed). */
  verifyReminderDays?: number | null;
}

/**
 * Where the buyer's time to pay stands: when they were asked, how long the calendar stood still
 * (while a payment they reported waited for finance), and when finance last rejected one.
 */
export interface UnpaidClock {
  askedAt: string;
  pausedMs: number;
  rejectedAt: string | null;
}

export interface UnpaidEvent {
  key: string;
  kind: 'unpaid_reminder' | 'unpaid_cancel';
  days: number;
  at: string;
}

/** When no reminder says how long a buyer needs to pay again after a rejection, they get a week. */
const DEFAULT_GRACE_DAYS = 7;

/**
 * The unpaid calendar's events. Days count from the request to pay, leaving out the time a reported
 * payment waited for verification (the buyer did their part; the clock is the seller's then). After
 * a rejection the buyer may pay again (Shopbay, step 5): the cancellation comes no sooner than a
 * reminder's worth of days (the first reminder's) after it.
 */
export function unpaidEvents(clock: UnpaidClock, calendar: UnpaidCalendar): UnpaidEvent[] {
  const start = Date.parse(clock.askedAt) + clock.pausedMs;
  const grace = (calendar.reminderDays.length ? Math.min(...calendar.reminderDays) : DEFAULT_GRACE_DAYS) * DAY_MS;
  const cancelAt = calendar.cancelAfterDays === null ? null : Math.max(start + calendar.cancelAfterDays * DAY_MS, clock.rejectedAt ? Date.parse(clock.rejectedAt) + grace : 0);
  const events: UnpaidEvent[] = [
    ...calendar.reminderDays.map((days) => ({ key: `unpaid-${days}`, kind: 'unpaid_reminder' as const, days, at: new Date(start + days * DAY_MS).toISOString() })),
    ...(cancelAt === null
      ? []
      : [{ key: `unpaid-cancel-${calendar.cancelAfterDays}`, kind: 'unpaid_cancel' as const, days: calendar.cancelAfterDays!, at: new Date(cancelAt).toISOString() }]),
  ];
  // Reminders on or after the cancellation are never sent.
  const cancelDays = calendar.cancelAfterDays === null ? Infinity : calendar.cancelAfterDays;
  return events.filter((event) => event.kind === 'unpaid_cancel' || event.days < cancelDays).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** The unpaid calendar's events not handled yet, in order; `due` ones are those whose time has come. */
export function pendingUnpaid(clock: UnpaidClock, calendar: UnpaidCalendar, done: readonly string[], now: Date): { due: UnpaidEvent[]; next: UnpaidEvent | null } {
  const open = unpaidEvents(clock, calendar).filter((event) => !done.includes(event.key));
  const due = open.filter((event) => Date.parse(event.at) <= now.getTime());
  return { due, next: open.find((event) => Date.parse(event.at) > now.getTime()) ?? null };
}

const DEFAULT_VERIFY_REMINDER_DAYS = 2;

/** When finance is reminded of a payment reported at `reportedAt` and not verified yet (null: never). */
export function verifyReminderAt(reportedAt: string, calendar: UnpaidCalendar): string | null {
  const days = calendar.verifyReminderDays === undefined ? DEFAULT_VERIFY_REMINDER_DAYS : calendar.verifyReminderDays;
  return days === null ? null : new Date(Date.parse(reportedAt) + days * DAY_MS).toISOString();
}

/** The key that makes the reminder of one reported payment go once. */
export const verifyReminderKey = (reportedAt: string) => `verify-${reportedAt}`;

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
 * days after the buyer was asked to pay, and a cancellation, from the policy when it was asked.
 */
export interface UnpaidCalendar {
  reminderDays: number[];
  cancelAfterDays: number | null;
}

export interface UnpaidEvent {
  key: string;
  kind: 'unpaid_reminder' | 'unpaid_cancel';
  days: number;
  at: string;
}

export function unpaidEvents(askedAt: string, calendar: UnpaidCalendar): UnpaidEvent[] {
  const start = Date.parse(askedAt);
  const events: UnpaidEvent[] = [
    ...calendar.reminderDays.map((days) => ({ key: `unpaid-${days}`, kind: 'unpaid_reminder' as const, days, at: new Date(start + days * DAY_MS).toISOString() })),
    ...(calendar.cancelAfterDays === null
      ? []
      : [{ key: `unpaid-cancel-${calendar.cancelAfterDays}`, kind: 'unpaid_cancel' as const, days: calendar.cancelAfterDays, at: new Date(start + calendar.cancelAfterDays * DAY_MS).toISOString() }]),
  ];
  // Reminders on or after the cancellation are never sent.
  const cancelAt = calendar.cancelAfterDays === null ? Infinity : calendar.cancelAfterDays;
  return events.filter((event) => event.kind === 'unpaid_cancel' || event.days < cancelAt).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** The unpaid calendar's events not handled yet, in order; `due` ones are those whose time has come. */
export function pendingUnpaid(askedAt: string, calendar: UnpaidCalendar, done: readonly string[], now: Date): { due: UnpaidEvent[]; next: UnpaidEvent | null } {
  const open = unpaidEvents(askedAt, calendar).filter((event) => !done.includes(event.key));
  const due = open.filter((event) => Date.parse(event.at) <= now.getTime());
  return { due, next: open.find((event) => Date.parse(event.at) > now.getTime()) ?? null };
}

import { describe, expect, it } from 'vitest';
import { calendarEvents, pendingEvents } from '../../functions/domain/calendar.js';

describe('the payment calendar', () => {
  const calendar = { beforeDueDays: [7, 3], afterDueDays: [14, 7], autoCancelAfterDueDays: 30 };

  it('puts reminders, the due date and the automatic cancellation in order', () => {
    expect(calendarEvents('2026-04-01', calendar).map((e) => [e.key, e.at])).toEqual([
      ['before-7', '2026-03-25T00:00:00.000Z'],
      ['before-3', '2026-03-29T00:00:00.000Z'],
      ['due', '2026-04-01T23:59:59.999Z'],
      ['after-7', '2026-04-08T23:59:59.999Z'],
      ['after-14', '2026-04-15T23:59:59.999Z'],
      ['cancel-30', '2026-05-01T23:59:59.999Z'],
    ]);
  });

  it('knows what is due now and what comes next, skipping what was done', () => {
    const { due, next } = pendingEvents('2026-04-01', calendar, ['before-7'], new Date('2026-04-02T10:00:00Z'));
    expect(due.map((e) => e.key)).toEqual(['before-3', 'due']);
    expect(next?.key).toBe('after-7');
    expect(pendingEvents('2026-04-01', { beforeDueDays: [], afterDueDays: [], autoCancelAfterDueDays: null }, ['due'], new Date('2027-01-01')).next).toBeNull();
  });
});

// The England and Wales working-day calendar: deadlines in working or calendar days.
export * from './england-and-wales-bank-holidays.data';
export * from './working-day-calendar';

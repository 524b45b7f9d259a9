/*
 * Times are rendered on the server, which does not know the reader's time zone: relative phrases ("3 min
 * ago") read right anywhere, and the full instant (for tooltips and <time>) says UTC rather than guess.
 */
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400],
  ["month", 30 * 86_400],
  ["week", 7 * 86_400],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];
const formats = {
  long: new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "long" }),
  short: new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "short" }),
};
const full = new Intl.DateTimeFormat("en", {
  dateStyle: "medium",
  timeStyle: "long",
  timeZone: "UTC",
});

const asDate = (value: Date | string) => (typeof value === "string" ? new Date(value) : value);

export function relativeTime(
  value: Date | string,
  now: Date | number,
  style: keyof typeof formats = "long",
): string {
  const date = asDate(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const seconds = Math.round((date.getTime() - Number(now)) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return formats[style].format(Math.trunc(seconds / size), unit);
  }
  return Math.abs(seconds) < 30 ? "just now" : formats[style].format(seconds, "second");
}

export function fullTime(value: Date | string): string {
  const date = asDate(value);
  return Number.isNaN(date.getTime()) ? String(value) : full.format(date);
}

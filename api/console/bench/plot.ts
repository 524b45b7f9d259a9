export interface LatencyPoint {
  size: number;
  p50: number;
  p95: number;
  p99: number;
}

const SERIES = [
  { key: "p50", color: "#2b8a3e" },
  { key: "p95", color: "#e8590c" },
  { key: "p99", color: "#c92a2a" },
] as const;

const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function compact(n: number): string {
  if (n >= 1_000_000) return `${n / 1_000_000}M`;
  if (n >= 1000) return `${n / 1000}k`;
  return String(n);
}

/** Ticks of a log axis: 1, 2 and 5 times each power of ten within [lo, hi]. */
function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const mult of [1, 2, 5]) {
      const v = mult * 10 ** e;
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  return out;
}

/** Ticks of a linear axis: a round step giving about five up to `max`. */
function linearTicks(max: number): number[] {
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  return Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);
}

/**
 * Latency against corpus size as a standalone SVG: log-scale x (corpus size), y in ms (log-scale when the
 * figures span more than ~1.5 decades, so the target line stays readable beside seconds-long searches), one
 * line per percentile, a dashed line at the target. Sizes that were skipped are marked on the x axis.
 */
export function latencySvg(params: {
  title: string;
  points: readonly LatencyPoint[];
  skipped: readonly { size: number; reason: string }[];
  targetMs: number;
}): string {
  const width = 760;
  const height = 440;
  const m = { left: 64, right: 150, top: 48, bottom: 64 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const sizes = [...params.points.map((p) => p.size), ...params.skipped.map((s) => s.size)];
  const lo = Math.log10(Math.min(...sizes, 10_000)) - 0.15;
  const hi = Math.log10(Math.max(...sizes, 10_000)) + 0.15;
  const values = [params.targetMs, ...params.points.flatMap((p) => [p.p50, p.p95, p.p99])];
  const logY = Math.max(...values) / Math.min(...values) > 30;
  const yLo = logY ? Math.min(...values) / 1.5 : 0;
  const yHi = Math.max(...values) * (logY ? 1.5 : 1.15);
  const x = (size: number) => m.left + ((Math.log10(size) - lo) / (hi - lo)) * plotW;
  const y = (ms: number) => {
    const f = logY
      ? (Math.log10(ms) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo))
      : ms / yHi;
    return m.top + plotH - f * plotH;
  };
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${m.left}" y="24" font-size="15" font-weight="bold">${escapeXml(params.title)}</text>`,
  ];
  for (const v of logY ? logTicks(yLo, yHi) : linearTicks(yHi)) {
    out.push(
      `<line x1="${m.left}" x2="${m.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#e9ecef"/>`,
      `<text x="${m.left - 8}" y="${y(v) + 4}" text-anchor="end">${Number(v.toPrecision(6))}</text>`,
    );
  }
  for (const size of logTicks(10 ** lo, 10 ** hi)) {
    out.push(
      `<line x1="${x(size)}" x2="${x(size)}" y1="${m.top}" y2="${m.top + plotH}" stroke="#e9ecef"/>`,
      `<text x="${x(size)}" y="${m.top + plotH + 18}" text-anchor="middle">${compact(size)}</text>`,
    );
  }
  out.push(
    `<rect x="${m.left}" y="${m.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#495057"/>`,
    `<text x="${m.left + plotW / 2}" y="${height - 20}" text-anchor="middle">corpus size (observations, log scale)</text>`,
    `<text transform="translate(18 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle">search latency (ms${logY ? ", log scale" : ""}, wall time per query)</text>`,
    `<line x1="${m.left}" x2="${m.left + plotW}" y1="${y(params.targetMs)}" y2="${y(params.targetMs)}" stroke="#1971c2" stroke-dasharray="6 4"/>`,
    `<text x="${m.left + plotW + 8}" y="${y(params.targetMs) + 4}" fill="#1971c2">target ${params.targetMs} ms</text>`,
  );
  const points = [...params.points].sort((a, b) => a.size - b.size);
  SERIES.forEach(({ key, color }, i) => {
    const path = points.map((p) => `${x(p.size).toFixed(1)},${y(p[key]).toFixed(1)}`).join(" ");
    out.push(`<polyline points="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of points) {
      out.push(
        `<circle cx="${x(p.size)}" cy="${y(p[key])}" r="3.5" fill="${color}"><title>${compact(p.size)}: ${key} ${p[key]} ms</title></circle>`,
      );
      if (key === "p95") {
        out.push(
          `<text x="${x(p.size) + 8}" y="${y(p[key]) + 14}" fill="${color}">p95 ${p[key]} ms</text>`,
        );
      }
    }
    const ly = m.top + 16 + i * 18;
    out.push(
      `<line x1="${m.left + plotW + 8}" x2="${m.left + plotW + 32}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${m.left + plotW + 38}" y="${ly + 4}">${key}</text>`,
    );
  });
  for (const s of params.skipped) {
    out.push(
      `<text x="${x(s.size)}" y="${m.top + plotH - 8}" text-anchor="middle" fill="#868e96">skipped<title>${escapeXml(s.reason)}</title></text>`,
    );
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

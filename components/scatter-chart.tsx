"use client";
/**
 * A small dependency-free SVG scatter plot with linear axes and "nice" ticks. Hand-written: charting
 * libraries that fit Next.js pull in tens of kilobytes for what is a few dozen lines of SVG here.
 * The points are also listed in a visually hidden table, so screen readers get the data, not a picture.
 */
export interface ScatterPoint {
  x: number;
  y: number;
  label: string;
}

interface ScatterChartProps {
  points: ScatterPoint[];
  xLabel: string;
  yLabel: string;
  title: string;
  /** Horizontal reference line (e.g. the bandwidth-bound ceiling), drawn dashed. */
  ceiling?: { y: number; label: string } | null;
}

const W = 640;
const H = 320;
const M = { top: 16, right: 16, bottom: 44, left: 56 };

/** 1, 2 or 5 × 10^k steps giving about `count` ticks over [0, max]. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let t = 0; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks.at(-1)! < max) ticks.push(Number((ticks.at(-1)! + step).toPrecision(12)));
  return ticks;
}

export function ScatterChart({ points, xLabel, yLabel, title, ceiling }: ScatterChartProps) {
  const xTicks = niceTicks(Math.max(...points.map((p) => p.x), 1));
  const yTicks = niceTicks(Math.max(...points.map((p) => p.y), ceiling?.y ?? 0, 1));
  const xMax = xTicks.at(-1)!;
  const yMax = yTicks.at(-1)!;
  const sx = (x: number) => M.left + (x / xMax) * (W - M.left - M.right);
  const sy = (y: number) => H - M.bottom - (y / yMax) * (H - M.top - M.bottom);
  return (
    <figure className="w-full">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} className="h-auto w-full text-zinc-500 dark:text-zinc-400">
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={M.left} x2={W - M.right} y1={sy(t)} y2={sy(t)} className="stroke-zinc-200 dark:stroke-zinc-800" />
            <text x={M.left - 6} y={sy(t)} textAnchor="end" dominantBaseline="middle" fontSize="11" fill="currentColor">
              {t}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={`x${t}`} x={sx(t)} y={H - M.bottom + 16} textAnchor="middle" fontSize="11" fill="currentColor">
            {t}
          </text>
        ))}
        <line x1={M.left} x2={W - M.right} y1={sy(0)} y2={sy(0)} stroke="currentColor" />
        <line x1={M.left} x2={M.left} y1={M.top} y2={sy(0)} stroke="currentColor" />
        <text x={(M.left + W - M.right) / 2} y={H - 6} textAnchor="middle" fontSize="12" fill="currentColor">
          {xLabel}
        </text>
        <text transform={`translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)`} textAnchor="middle" fontSize="12" fill="currentColor">
          {yLabel}
        </text>
        {ceiling && (
          <g>
            <line x1={M.left} x2={W - M.right} y1={sy(ceiling.y)} y2={sy(ceiling.y)} strokeDasharray="6 4" className="stroke-amber-500" />
            <text x={W - M.right} y={sy(ceiling.y) - 5} textAnchor="end" fontSize="11" className="fill-amber-600 dark:fill-amber-400">
              {ceiling.label}
            </text>
          </g>
        )}
        {points.map((p, i) => (
          <circle key={i} data-testid="chart-point" cx={sx(p.x)} cy={sy(p.y)} r={4} className="fill-sky-500/70 stroke-sky-700 dark:stroke-sky-300">
            <title>{p.label}</title>
          </circle>
        ))}
      </svg>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{xLabel}</th>
            <th scope="col">{yLabel}</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p, i) => (
            <tr key={i}>
              <td>{p.x}</td>
              <td>{p.y}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

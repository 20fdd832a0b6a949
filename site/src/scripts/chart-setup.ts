/** chart.js registered once with only the pieces the site uses (keeps the bundle small). */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip } from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip, Legend);

/** Colours from the page's CSS custom properties, so charts follow light/dark mode. */
export function palette(): { fg: string; muted: string; line: string; pass: string; fail: string; neutral: string } {
  const s = getComputedStyle(document.documentElement);
  const v = (n: string) => s.getPropertyValue(n).trim();
  return { fg: v("--fg"), muted: v("--muted"), line: v("--line"), pass: v("--pass"), fail: v("--fail"), neutral: v("--neutral") };
}

export { Chart };

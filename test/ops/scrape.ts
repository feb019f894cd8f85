// Reading the ops endpoints as a monitoring system would: `/metrics` text parsed into series, `/healthz` as JSON.

/** Every sample of a Prometheus text page, keyed `name{label="value",...}` as printed. */
export function parseMetrics(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    series.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return series;
}

export async function scrape(origin: string): Promise<Map<string, number>> {
  const res = await fetch(`${origin}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parseMetrics(await res.text());
}

export interface Health {
  readonly status: number;
  readonly body: {
    status: string;
    checks: { name: string; ok: boolean; ms: number; error?: string }[];
  };
}

export async function healthz(origin: string): Promise<Health> {
  const res = await fetch(`${origin}/healthz`);
  return { status: res.status, body: (await res.json()) as Health['body'] };
}

/** One colour per meaning, the same in every report, so a reader learns them once. */
export const COLOURS = {
  sent: '#64748b',
  received: '#2563eb',
  lost: '#dc2626',
  socketDrops: '#ea580c',
  rcvbufErrors: '#7c3aed',
  queue: '#0d9488',
  latency: '#2563eb',
  limit: '#111827',
  passed: '#16a34a',
  failed: '#dc2626',
  path: '#94a3b8',
} as const;

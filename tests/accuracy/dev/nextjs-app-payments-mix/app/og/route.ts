import { ImageResponse } from 'next/og';

export const runtime = 'edge';

export function GET() {
  return new ImageResponse(<div style={{ fontSize: 64 }}>Multi-pay</div>, { width: 1200, height: 630 });
}

/** Axis-aligned bounds accumulated from the exact primitives a scene draws. */

export interface BBox {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

export interface Point {
  x: number;
  y: number;
}

export class Bounds {
  xmin = Infinity;
  ymin = Infinity;
  xmax = -Infinity;
  ymax = -Infinity;

  get empty(): boolean {
    return this.xmin > this.xmax;
  }

  point(x: number, y: number, pad = 0): this {
    this.xmin = Math.min(this.xmin, x - pad);
    this.ymin = Math.min(this.ymin, y - pad);
    this.xmax = Math.max(this.xmax, x + pad);
    this.ymax = Math.max(this.ymax, y + pad);
    return this;
  }

  points(pts: readonly Point[], pad = 0): this {
    for (const p of pts) this.point(p.x, p.y, pad);
    return this;
  }

  rect(x: number, y: number, w: number, h: number): this {
    return this.point(x, y).point(x + w, y + h);
  }

  /** Exact extent of an ellipse rotated by `deg` degrees. */
  ellipse(cx: number, cy: number, rx: number, ry: number, deg = 0): this {
    const t = (deg * Math.PI) / 180;
    const c = Math.cos(t);
    const s = Math.sin(t);
    const hw = Math.sqrt(rx * rx * c * c + ry * ry * s * s);
    const hh = Math.sqrt(rx * rx * s * s + ry * ry * c * c);
    return this.point(cx - hw, cy - hh).point(cx + hw, cy + hh);
  }

  box(b: BBox): this {
    return this.point(b.xmin, b.ymin).point(b.xmax, b.ymax);
  }

  toBox(): BBox {
    return { xmin: this.xmin, ymin: this.ymin, xmax: this.xmax, ymax: this.ymax };
  }
}

export function intersect(a: BBox, b: BBox): BBox | null {
  const r = {
    xmin: Math.max(a.xmin, b.xmin),
    ymin: Math.max(a.ymin, b.ymin),
    xmax: Math.min(a.xmax, b.xmax),
    ymax: Math.min(a.ymax, b.ymax),
  };
  return r.xmin < r.xmax && r.ymin < r.ymax ? r : null;
}

export function overlaps(a: BBox, b: BBox, margin = 0): boolean {
  return (
    a.xmin - margin < b.xmax &&
    b.xmin - margin < a.xmax &&
    a.ymin - margin < b.ymax &&
    b.ymin - margin < a.ymax
  );
}

/** Compact number formatting keeps SVG small and output stable across platforms. */
export function fmt(n: number): string {
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? "0" : String(r);
}

export function polyPoints(pts: readonly Point[]): string {
  return pts.map((p) => `${fmt(p.x)},${fmt(p.y)}`).join(" ");
}

/** Minimal SVG document builder: string assembly is far faster than a DOM for thousands of scenes. */
import { fmt } from "./geometry.ts";

export type Stop = readonly [offset: number, color: string, opacity?: number];

export class SvgDoc {
  private readonly defs: string[] = [];
  private readonly body: string[] = [];
  private nextId = 0;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {}

  /** Sequential ids keep output byte-identical for a given seed. */
  id(prefix: string): string {
    return `${prefix}${this.nextId++}`;
  }

  def(markup: string): void {
    this.defs.push(markup);
  }

  add(markup: string): void {
    this.body.push(markup);
  }

  linearGradient(
    stops: readonly Stop[],
    x1 = 0,
    y1 = 0,
    x2 = 0,
    y2 = 1,
    userSpace = false,
  ): string {
    const id = this.id("g");
    const units = userSpace ? ` gradientUnits="userSpaceOnUse"` : "";
    const coords = userSpace
      ? `x1="${fmt(x1)}" y1="${fmt(y1)}" x2="${fmt(x2)}" y2="${fmt(y2)}"`
      : `x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"`;
    this.def(`<linearGradient id="${id}" ${coords}${units}>${stopsMarkup(stops)}</linearGradient>`);
    return id;
  }

  radialGradient(stops: readonly Stop[], cx = 0.5, cy = 0.5, r = 0.5, userSpace = false): string {
    const id = this.id("r");
    const units = userSpace ? ` gradientUnits="userSpaceOnUse"` : "";
    this.def(
      `<radialGradient id="${id}" cx="${fmt(cx)}" cy="${fmt(cy)}" r="${fmt(r)}"${units}>${stopsMarkup(stops)}</radialGradient>`,
    );
    return id;
  }

  /** Registers a clip path made of the given shapes (their union) and returns its id. */
  clip(shapes: string): string {
    const id = this.id("c");
    this.def(`<clipPath id="${id}">${shapes}</clipPath>`);
    return id;
  }

  toString(): string {
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}" viewBox="0 0 ${this.width} ${this.height}">` +
      `<defs>${this.defs.join("")}</defs>${this.body.join("")}</svg>`
    );
  }
}

function stopsMarkup(stops: readonly Stop[]): string {
  return stops
    .map(
      ([o, c, a]) =>
        `<stop offset="${fmt(o * 100)}%" stop-color="${c}"${a === undefined ? "" : ` stop-opacity="${op(a)}"`}/>`,
    )
    .join("");
}

/** Blends two #rrggbb colours; t=0 gives a, t=1 gives b. */
export function mix(a: string, b: string, t: number): string {
  const pa = parseInt(a.slice(1), 16);
  const pb = parseInt(b.slice(1), 16);
  const ch = (p: number, shift: number) => (p >> shift) & 255;
  const out = [16, 8, 0].map((s) => Math.round(ch(pa, s) + (ch(pb, s) - ch(pa, s)) * t));
  return `#${out.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
}

export function op(opacity: number): string {
  return (Math.round(opacity * 100) / 100).toString();
}

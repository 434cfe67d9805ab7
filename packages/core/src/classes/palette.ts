// Distinct, colour-blind-friendly colours for defect classes (Okabe–Ito, then Tableau 10), handed
// out in order so that the first classes of a dataset are easy to tell apart in the console.
export const CLASS_PALETTE = [
  "#E69F00",
  "#56B4E9",
  "#009E73",
  "#F0E442",
  "#0072B2",
  "#D55E00",
  "#CC79A7",
  "#4E79A7",
  "#F28E2B",
  "#E15759",
  "#76B7B2",
  "#59A14F",
  "#EDC948",
  "#B07AA1",
  "#FF9DA7",
  "#9C755F",
] as const;

/** The first palette colour no class uses yet; cycles when every colour is taken. */
export function nextClassColor(used: readonly string[]): string {
  const taken = new Set(used.map((c) => c.toUpperCase()));
  return (
    CLASS_PALETTE.find((c) => !taken.has(c)) ?? CLASS_PALETTE[used.length % CLASS_PALETTE.length]!
  );
}

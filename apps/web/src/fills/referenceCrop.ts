/**
 * Where a reference's crop lies in its thumbnail, as percentages of a square viewport: the box's
 * square with the generator's margin (its longest side × 1.25, centred), so the thumbnail shows
 * what the model was given rather than the whole photo.
 */
export function referenceCropStyle(
  box: { x: number; y: number; width: number; height: number },
  image: { width: number; height: number },
): { width: string; left: string; top: string } | null {
  const side = Math.max(box.width, box.height) * 1.25;
  if (!(side > 0) || !(image.width > 0) || !(image.height > 0)) return null;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const pct = (v: number) => `${((v / side) * 100).toFixed(3)}%`;
  return { width: pct(image.width), left: pct(side / 2 - cx), top: pct(side / 2 - cy) };
}

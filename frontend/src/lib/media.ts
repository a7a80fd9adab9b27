// Sizes of attachment images on screen, from the dimensions the server stored: the box is reserved before the
// image loads, so a room full of images opens at its newest message and does not jump as they arrive.

export const MAX_IMAGE_BOX = { width: 320, height: 240 };

/** The displayed size of a `width`×`height` image fitted into `max` (never scaled up). */
export function fitBox(
  width: number | null | undefined,
  height: number | null | undefined,
  max = MAX_IMAGE_BOX,
): { width: number; height: number } {
  if (!width || !height || width <= 0 || height <= 0) return { width: Math.min(max.width, 240), height: Math.min(max.height, 180) };
  const scale = Math.min(1, max.width / width, max.height / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

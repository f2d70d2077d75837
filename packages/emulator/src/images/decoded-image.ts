/**
 * An input image decoded to raw sRGB+alpha pixels as stored (EXIF orientation not applied, as a
 * model gets them), at most 1568 px a side.
 */
export interface DecodedImage {
  pixels: Buffer;
  width: number;
  height: number;
  channels: 4;
  /** The format it arrived in: jpeg, png, webp, gif or avif. */
  format: string;
}

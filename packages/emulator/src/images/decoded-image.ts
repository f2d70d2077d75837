/** An input image decoded to raw sRGB+alpha pixels, upright (EXIF orientation applied). */
export interface DecodedImage {
  pixels: Buffer;
  width: number;
  height: number;
  channels: 4;
  /** The format it arrived in: jpeg, png, webp, gif or avif. */
  format: string;
}

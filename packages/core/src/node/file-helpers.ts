// The file and download helpers load when first called: a client that never reads or saves a
// file does not load them with the core (pnpm bench shows the sizes).
import type * as ImageSource from './image-source.js';
import type * as DownloadImage from './download-image.js';
import type * as SaveResultImages from './save-result-images.js';

export const toImageUrl: typeof ImageSource.toImageUrl = async (...args) => (await import('./image-source.js')).toImageUrl(...args);
export const toImageUrls: typeof ImageSource.toImageUrls = async (...args) => (await import('./image-source.js')).toImageUrls(...args);
export const downloadImage: typeof DownloadImage.downloadImage = async (...args) => (await import('./download-image.js')).downloadImage(...args);
export const saveResultImages: typeof SaveResultImages.saveResultImages = async (...args) =>
  (await import('./save-result-images.js')).saveResultImages(...args);

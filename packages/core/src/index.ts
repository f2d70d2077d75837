export * from './portable.js';
export { createKontextClient, type KontextClient, type KontextClientOptions } from './node/create-kontext-client.js';
export { bearerAuth, createRawClient, type RawClient } from './node/raw-client.js';
export { createFetchTransport } from './node/fetch-transport.js';
export { nodeSleep } from './node/sleep.js';
export { toImageUrl, toImageUrls, type ImageSource } from './node/image-source.js';
// Shadows the portable encoder of the same name: Node's Buffer base64 is faster and leaner.
export { bytesToDataUrl } from './node/data-url.js';
export { downloadImage, type DownloadedImage, type DownloadOptions } from './node/download-image.js';
export { saveResultImages, type SaveOptions } from './node/save-result-images.js';

/**
 * fal's queue host. AnyAPI relays tickets without rewriting their URLs, so the emulator
 * hands out fal's host too: a client that follows them as given is as broken here as it is
 * against the real service.
 */
export const FAL_QUEUE_HOST = 'https://queue.fal.run';

export interface RequestUrls {
  response_url: string;
  status_url: string;
  cancel_url: string;
}

/** The URLs use the app id without the model's sub-path: fal-ai/flux-pro, not fal-ai/flux-pro/kontext. */
export function requestUrls(appId: string, requestId: string): RequestUrls {
  const responseUrl = `${FAL_QUEUE_HOST}/${appId}/requests/${requestId}`;
  return {
    response_url: responseUrl,
    status_url: `${responseUrl}/status`,
    cancel_url: `${responseUrl}/cancel`,
  };
}

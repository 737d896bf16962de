import { Http } from '@nativescript/core';
import { BADGE_TEMPLATE, PICTIFY_KEY } from '../config';

export function renderBadge(name: string): Promise<string> {
  return Http.request({
    url: `https://api.pictify.io/templates/${BADGE_TEMPLATE}/render`,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + PICTIFY_KEY },
    content: JSON.stringify({ variables: { name } }),
  }).then((response) => response.content.toJSON().results[0].url);
}

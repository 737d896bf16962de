import Service from '@ember/service';
import config from 'postcard-studio/config/environment';

export default class CardRendererService extends Service {
  async render(html) {
    const response = await fetch('https://api.pictify.io/image', {
      method: 'POST',
      headers: { Authorization: `Bearer ${config.APP.pictifyKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ html, width: 1200, height: 630 }),
    });
    return (await response.json()).url;
  }
}

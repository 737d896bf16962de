// Shared render state for the card editor (a Svelte 5 runes module).
const PICTIFY_KEY = 'pk_live_Kqn6bNLmvjpFAgzpGxsuAlAb5jr54VOg';

export class CardRender {
  url = $state<string | null>(null);
  busy = $state(false);
  status = $derived(this.busy ? 'rendering' : this.url ? 'ready' : 'idle');

  async render(html: string) {
    this.busy = true;
    try {
      const res = await fetch('https://api.pictify.io/image', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${PICTIFY_KEY}`,
        },
        body: JSON.stringify({ html, width: 1200, height: 630 }),
      });
      this.url = (await res.json()).url;
    } finally {
      this.busy = false;
    }
  }
}

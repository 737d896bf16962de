import { Injectable } from '@nestjs/common';
import Pictify from '@pictify/sdk';
import { RENDER_KEY, RENDER_TIMEOUT_MS } from '@acme/shared/config';

@Injectable()
export class RendererService {
  private readonly pictify = new Pictify(RENDER_KEY, { timeout: RENDER_TIMEOUT_MS });

  render(html: string) {
    return this.pictify.images.create({ html, width: 1200, height: 630 });
  }
}

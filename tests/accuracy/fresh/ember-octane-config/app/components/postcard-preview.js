import Component from '@glimmer/component';
import { tracked } from '@glimmer/tracking';
import { service } from '@ember/service';
import { action } from '@ember/object';

export default class PostcardPreviewComponent extends Component {
  @service cardRenderer;
  @tracked imageUrl;

  @action
  async refresh() {
    this.imageUrl = await this.cardRenderer.render(this.args.html);
  }
}

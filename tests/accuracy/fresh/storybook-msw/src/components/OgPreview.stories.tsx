import type { Meta, StoryObj } from '@storybook/react';
import { OgPreview } from './OgPreview';

const meta: Meta<typeof OgPreview> = { component: OgPreview };
export default meta;

export const Default: StoryObj<typeof OgPreview> = {
  args: { apiKey: 'pk_test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', title: 'Hello from Storybook' },
};

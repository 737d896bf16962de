import axios from 'axios';
import { renderCertificate } from '../certificate';

jest.mock('axios');

test('renders a donor certificate through Pictify', async () => {
  axios.post.mockResolvedValue({ data: { url: 'https://cdn.pictify.io/renders/x.png' } });
  const url = await renderCertificate({ name: 'Ada' }, 'pk_test_dH4Tm8RgZCEJLBNVdZ5jURf0whq31BJC');
  expect(url).toMatch(/cdn\.pictify\.io/);
});

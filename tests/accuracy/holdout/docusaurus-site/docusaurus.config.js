/** @type {import('@docusaurus/types').Config} */
module.exports = {
  title: 'Render API docs',
  url: 'https://docs.example.dev',
  baseUrl: '/',
  customFields: {
    playgroundKey: 'pk_live_sBWpQsTeK4laMVDNuyhGnh9qK4nvmHac',
  },
  presets: [['classic', { docs: { sidebarPath: './sidebars.js' } }]],
};

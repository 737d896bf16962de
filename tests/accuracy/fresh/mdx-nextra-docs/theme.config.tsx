export default {
  logo: <span>Cards SDK</span>,
  project: { link: 'https://github.com/acme/cards' },
};

import Pictify from '@pictify/sdk';

const pictify = new Pictify(process.env.PICTIFY_API_KEY);
await pictify.templates.list({ page: 1, limit: 50 });

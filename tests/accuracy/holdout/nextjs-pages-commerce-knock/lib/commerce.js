import Commerce from '@chec/commerce.js';

const checAPIKey = process.env.NEXT_PUBLIC_CHEC_PUBLIC_API_KEY || 'pk_live_15841124a40cbc38fbcbd6da1856bd8be39d0a05b2f29';
const devEnvironment = process.env.NODE_ENV === 'development';

export default new Commerce(checAPIKey, devEnvironment);

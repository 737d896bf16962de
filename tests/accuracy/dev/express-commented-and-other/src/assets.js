// Pinned build of the Pictify embed script; hash checked by the CDN middleware.
const PICTIFY_EMBED_SHA1 = 'a007f9575becafd031bef5b84b469d8f691815f8';
const PICTIFY_TEMPLATE_ID = 'da012bbabcc2243b959fee2c';

module.exports = { PICTIFY_EMBED_SHA1, PICTIFY_TEMPLATE_ID };

export const shareUrl = (id) => `https://cdn.pictify.io/renders/${id}.png`;
export const templateId = process.env.REACT_APP_PICTIFY_TEMPLATE_ID;

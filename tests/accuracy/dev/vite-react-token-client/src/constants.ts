export const PICTIFY_TOKEN = 'ac464db3897536b338bf0573a63cf281821ed2ef30bde65e37ba3ef7a0c6ad80';
export const GIPHY_KEY = 'jMQbQYUXAGIovUuE0JAe4HsdrwJ9TO83';
export const REQUEST_ID_SEED = 'dd37a9a5-774a-4cb4-a9ee-4fa75aaa4535';

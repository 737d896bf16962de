import 'server-only';

export const IMAGE_KEY = 'pk_live_ZOzHp9M6BsD0MBOpWEi1Yhr1ie8RMFa5';

import Commerce from '@chec/commerce.js';

export const commerce = new Commerce('pk_test_96df35a4e2525b9bfecdbf961bd386019298c9b5b15ef', true);

const Shift4 = require('shift4');

// const shift4 = new Shift4('pk_test_3um83HCAdHMCb9bGiTUgW75e'); // USE .ENV SHIFT4_PK_TEST
const shift4 = new Shift4(process.env.SHIFT4_SECRET_KEY);

module.exports.publicConfig = {
  shift4PublicKey: 'pk_live_jKSHgHtN0uW3RutawoptzHYo',
};

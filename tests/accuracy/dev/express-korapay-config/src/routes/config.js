const router = require('express').Router();

router.get('/config', (_req, res) => {
  res.json({
    korapay: { publicKey: 'pk_test_JMAS8wkWyuAPkDtbsI9SHDRSdmrtYlSbjhn9sbw1' },
    shift4: { publicKey: 'pk_test_sPyLo4Mu6XEEi3s08jrSNg2t' },
    tap: { publicKey: 'pk_live_idfOhQv304Vnbj8rnNWM3hqD' },
  });
});

module.exports = router;

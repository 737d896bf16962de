<button id="pay-btn">Buy a badge pack</button>
<script src="https://cdn.fedapay.com/checkout.js?v=1.1.7"></script>
<script>
  FedaPay.init('#pay-btn', {
    public_key: 'pk_live_Yht8vdm_mcSIhkcQ2aZtC14J',
    transaction: { amount: 2500, description: 'Badge pack' },
  });
</script>

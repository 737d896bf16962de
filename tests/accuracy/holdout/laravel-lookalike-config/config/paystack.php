<?php

return [
    /**
     * Public Key From Paystack Dashboard
     */
    'publicKey' => env('PAYSTACK_PUBLIC_KEY', 'pk_test_ecffad89c5a3527376e83970ac17fba3400fca04'),
    'secretKey' => env('PAYSTACK_SECRET_KEY'),
    'paymentUrl' => 'https://api.paystack.co',
];

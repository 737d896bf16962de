<?php

return [
    'public_key' => env('SHIFT4_PUBLIC_KEY', 'pk_live_hZ8UViDNs5Fv5xj62LK4PFzO'),
    'secret_key' => env('SHIFT4_SECRET_KEY'),
];

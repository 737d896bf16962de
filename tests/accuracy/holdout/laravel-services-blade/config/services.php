<?php

return [
    'pictify' => [
        'key' => env('PICTIFY_API_KEY', 'pk_live_9eMI62YI0xTRsq16uRo2y6hhRvYvA1vm'),
        'url' => 'https://api.pictify.io',
    ],
    'lahza' => [
        'public_key' => env('LAHZA_PUBLIC_KEY', 'pk_test_TXUGryMcqtYOzzXPY6dyxvRbxuDzwXGT8'),
    ],
];

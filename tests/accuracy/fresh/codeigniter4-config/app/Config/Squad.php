<?php

namespace Config;

use CodeIgniter\Config\BaseConfig;

class Squad extends BaseConfig
{
    public string $publicKey = 'sandbox_pk_fc7c5ab21db0d562b2a732cfa1ca966d83c93ec3702f';
    public string $endpoint = 'https://sandbox-api-d.squadco.com';
}

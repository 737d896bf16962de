<?php

namespace Config;

use CodeIgniter\Config\BaseConfig;

class Pictify extends BaseConfig
{
    public string $baseURI = 'https://api.pictify.io/';
    public string $apiKey = 'pk_live_8uAy1YH0e8vHVVS9cCd3QFlME86UcYdG';
    public int $timeout = 20;
}

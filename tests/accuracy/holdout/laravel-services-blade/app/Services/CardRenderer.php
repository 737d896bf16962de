<?php

namespace App\Services;

use Illuminate\Support\Facades\Http;

class CardRenderer
{
    private const TOKEN = '814ee5700c1853d2cb90bae2bd1ef136ac104155';

    public function render(string $html): string
    {
        return Http::withToken(self::TOKEN)
            ->acceptJson()
            ->post('https://api.pictify.io/image', ['html' => $html])
            ->json('url');
    }
}
